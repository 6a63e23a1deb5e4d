"""Sentiment (VADER) and keywords (YAKE) computed in process: no network, no model download.

VADER's lexicon is tuned for helpdesk text: politeness ("please", "kindly", "help", "support"), urgency
"shared" (mailboxes, drives) and "Excel" (the product) carry no sentiment (stock VADER rates "Please reset the password of the
shared mailbox" positive), and the words of breakdowns ("crashes", "frozen", "unusable", "outage") are
negative. Labels follow VADER's usual cut: compound >= 0.05 POSITIVE, <= -0.05 NEGATIVE, NEUTRAL between.

Keywords are YAKE's one- and two-word phrases, lowercase, with greetings, sign-offs, dates and numeric junk
left out, and a phrase whose words an earlier (better) one already holds skipped, so tags do not repeat.

The libraries load on first use (importing YAKE alone takes ~0.2 s) and are shared between threads: both
only read their state once built.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from services.ai_provider import Sentiment

HELPDESK_LEXICON = {
    "please": 0.0,
    "kindly": 0.0,
    "help": 0.0,
    "support": 0.0,
    "urgent": 0.0,
    "share": 0.0,
    "shared": 0.0,
    "excel": 0.0,
    "crashes": -1.7,
    "crashed": -1.7,
    "crashing": -1.7,
    "freeze": -1.2,
    "freezes": -1.2,
    "freezing": -1.2,
    "frozen": -1.2,
    "unusable": -2.0,
    "outage": -1.5,
}

NOISE = frozenset(
    {
        "hi",
        "hello",
        "hey",
        "dear",
        "team",
        "all",
        "thanks",
        "thank",
        "regards",
        "cheers",
        "best",
        "kind",
        "please",
        "help",
        "asap",
        "urgent",
        "urgently",
        "issue",
        "issues",
        "problem",
        "problems",
        "question",
        "request",
        "ticket",
        "today",
        "yesterday",
        "tomorrow",
        "morning",
        "afternoon",
        "evening",
        "tonight",
        "week",
        "weekend",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "minute",
        "minutes",
        "hour",
        "hours",
        "day",
        "days",
        "time",
        "times",
    }
)
SIGNATURE = re.compile(
    r"\b(thanks|thank you|many thanks|regards|kind regards|best regards|best|cheers)\b[\s,.!-]*"
    r"([A-Z][\w.-]*(\s+[A-Z][\w.-]*){0,2})?\s*$",
    re.IGNORECASE,
)
TAG_CHARACTERS = re.compile(r"[a-z0-9][a-z0-9 .+#&/'-]*")
CLOCK = re.compile(r"\d{1,2}(:\d\d)?(am|pm)")
MAX_TAG = 30


class LocalTextAnalyzer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._vader: Any = None
        self._yake: Any = None
        self._stopwords: frozenset[str] = frozenset()

    def sentiment(self, text: str) -> Sentiment:
        compound = float(self._sentiment_analyzer().polarity_scores(text)["compound"])
        if compound >= 0.05:
            return Sentiment("POSITIVE", compound)
        if compound <= -0.05:
            return Sentiment("NEGATIVE", compound)
        return Sentiment("NEUTRAL", compound)

    def keywords(self, text: str, limit: int = 5) -> list[str]:
        text = SIGNATURE.sub("", text.strip())
        if limit <= 0 or not text:
            return []
        extractor = self._keyword_extractor()
        chosen: list[str] = []
        covered: set[str] = set()
        for phrase, _score in extractor.extract_keywords(text):
            tag = " ".join(str(phrase).lower().split())
            words = tag.split()
            if not self._is_tag(tag, words) or covered.issuperset(words):
                continue
            chosen.append(tag)
            covered.update(words)
            if len(chosen) == limit:
                break
        return chosen

    def _is_tag(self, tag: str, words: list[str]) -> bool:
        return (
            len(tag) <= MAX_TAG
            and TAG_CHARACTERS.fullmatch(tag) is not None
            and not any(word in NOISE or word in self._stopwords or _numeric(word) for word in words)
        )

    def _sentiment_analyzer(self) -> Any:
        if self._vader is None:
            with self._lock:
                if self._vader is None:
                    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                    vader = SentimentIntensityAnalyzer()
                    vader.lexicon.update(HELPDESK_LEXICON)
                    self._vader = vader
        return self._vader

    def _keyword_extractor(self) -> Any:
        if self._yake is None:
            with self._lock:
                if self._yake is None:
                    import yake

                    # Four times the usual limit of candidates: the filters below drop many.
                    extractor = yake.KeywordExtractor(lan="en", n=2, top=40, dedup_lim=0.8)
                    self._stopwords = frozenset(extractor.stopword_set)
                    self._yake = extractor
        return self._yake


def _numeric(word: str) -> bool:
    digits = sum(character.isdigit() for character in word)
    return digits * 2 > len(word) or CLOCK.fullmatch(word) is not None or word.startswith("0x")
