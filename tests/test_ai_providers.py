"""The AI providers: OpenAIChat against a real OpenAI-compatible server on loopback, the local text analyzer,
the AI settings and their wiring into the services."""

from __future__ import annotations

import asyncio
import time
import traceback
from collections.abc import AsyncIterator, Iterator

import pytest

from app.ai import build_ai
from app.main import install_services
from app.settings import Settings, SettingsError, load_settings
from integrations.ai.local_text import LocalTextAnalyzer
from integrations.ai.openai_chat import OpenAIChat
from services.ai_provider import (
    AiUnavailable,
    ChatMessage,
    NoChatModel,
    ai_configured,
    chat_model,
    install_ai,
    text_analyzer,
)
from tests.api import TEST_SECRET_KEY
from tests.openai_server import MODEL, OpenAIServer, echo
from tests.servers import free_port

KEY = "sk-test-0123456789abcdefSECRET"
QUESTION = [
    ChatMessage("system", "You are a helpdesk assistant."),
    ChatMessage("user", "Outlook crashes after the update. What should I try?"),
]
ANSWER = "Start Outlook in safe mode, then disable the add-ins one by one."
SENT_PARAMETERS = {"model", "messages", "max_tokens", "temperature", "stream"}


@pytest.fixture
async def chat(openai_server: OpenAIServer) -> AsyncIterator[OpenAIChat]:
    model = OpenAIChat(openai_server.url, KEY, MODEL, timeout_seconds=5, max_retries=0)
    yield model
    await model.aclose()


async def read(stream: AsyncIterator[str], into: list[str] | None = None) -> list[str]:
    deltas = into if into is not None else []
    async for delta in stream:
        deltas.append(delta)
    return deltas


async def failure(model: OpenAIChat, *, streaming: bool = False) -> str:
    """The reason of the AiUnavailable the call raised, checked to hold no trace of the key."""
    call = read(model.stream(QUESTION)) if streaming else model.complete(QUESTION)
    with pytest.raises(AiUnavailable) as raised:
        await call
    reason = raised.value.reason
    assert reason == str(raised.value)
    assert KEY not in reason
    assert "SECRET" not in reason
    assert "sk-" not in reason
    # Nor does the traceback a log would print (the provider's own error, which repeats the key, is cut off).
    assert KEY not in "".join(traceback.format_exception(raised.value))
    return reason


async def test_a_completion_returns_the_answer_and_its_usage(
    chat: OpenAIChat, openai_server: OpenAIServer
) -> None:
    openai_server.reply(ANSWER)
    completion = await chat.complete(QUESTION, max_tokens=200, temperature=0.1)
    assert completion.text == ANSWER
    assert completion.model == MODEL
    assert completion.prompt_tokens == 14
    assert completion.completion_tokens == len(ANSWER.split())


async def test_a_completion_sends_the_model_the_messages_and_the_bearer_key(
    chat: OpenAIChat, openai_server: OpenAIServer
) -> None:
    await chat.complete(QUESTION, max_tokens=200, temperature=0.1)
    [request] = openai_server.completions
    assert request.authorization == f"Bearer {KEY}"
    assert request.model == MODEL
    assert request.messages == [
        {"role": "system", "content": "You are a helpdesk assistant."},
        {"role": "user", "content": "Outlook crashes after the update. What should I try?"},
    ]
    assert request.body["max_tokens"] == 200
    assert request.body["temperature"] == 0.1


async def test_the_unscripted_server_echoes_the_last_user_message(chat: OpenAIChat) -> None:
    completion = await chat.complete([ChatMessage("user", "ping")])
    assert completion.text == echo("ping")


async def test_only_parameters_every_compatible_server_accepts_are_sent(
    chat: OpenAIChat, openai_server: OpenAIServer
) -> None:
    await chat.complete(QUESTION)
    async for _ in chat.stream(QUESTION):
        pass
    plain, streamed = openai_server.completions
    assert set(plain.body) <= SENT_PARAMETERS
    assert set(streamed.body) == SENT_PARAMETERS
    assert streamed.body["stream"] is True
    assert plain.body.get("stream") in (None, False)


async def test_a_stream_yields_the_deltas_in_order(chat: OpenAIChat, openai_server: OpenAIServer) -> None:
    chunks = ["Start Outlook ", "in safe mode, ", "then disable ", "the add-ins ", "one by one."]
    openai_server.reply(ANSWER, chunks=chunks)
    deltas = [delta async for delta in chat.stream(QUESTION, max_tokens=50)]
    assert deltas == chunks
    assert "".join(deltas) == ANSWER
    [request] = openai_server.completions
    assert request.body["stream"] is True
    assert request.body["max_tokens"] == 50
    assert request.authorization == f"Bearer {KEY}"


async def test_a_stream_that_is_left_early_can_be_followed_by_another_call(
    chat: OpenAIChat, openai_server: OpenAIServer
) -> None:
    openai_server.reply("one two three four five six")
    stream = chat.stream(QUESTION)
    assert isinstance(stream, AsyncIterator)
    first = await anext(stream)
    await stream.aclose()  # type: ignore[attr-defined]
    assert first == "one "
    assert (await chat.complete([ChatMessage("user", "again")])).text == echo("again")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (500, "HTTP 500"),
        (503, "HTTP 503"),
        (401, "DESKQL_OPENAI_API_KEY"),
        (403, "refused access"),
        (404, f"no model '{MODEL}'"),
        (429, "rate limited"),
        (400, "refused the request"),
    ],
)
async def test_an_error_status_becomes_ai_unavailable_without_the_key(
    chat: OpenAIChat, openai_server: OpenAIServer, status: int, expected: str
) -> None:
    openai_server.reply(status=status)
    assert expected in await failure(chat)
    openai_server.reply(status=status)
    assert expected in await failure(chat, streaming=True)
    # The server did get the key, and did repeat it in its error body: the reason left it out.
    assert all(request.authorization == f"Bearer {KEY}" for request in openai_server.completions)


async def test_a_server_slower_than_the_timeout_becomes_ai_unavailable(openai_server: OpenAIServer) -> None:
    model = OpenAIChat(openai_server.url, KEY, MODEL, timeout_seconds=0.3, max_retries=0)
    openai_server.reply(ANSWER, delay=2)
    openai_server.reply(ANSWER, delay=2)
    started = time.monotonic()
    assert await failure(model) == "The language model did not answer in time."
    assert await failure(model, streaming=True) == "The language model did not answer in time."
    assert time.monotonic() - started < 1.5
    await model.aclose()


async def test_the_timeout_covers_the_retries_the_server_asks_to_wait_for(
    openai_server: OpenAIServer,
) -> None:
    model = OpenAIChat(openai_server.url, KEY, MODEL, timeout_seconds=0.5, max_retries=5)
    for _ in range(6):
        openai_server.reply(status=429, headers={"retry-after": "30"})
    started = time.monotonic()
    reason = await asyncio.wait_for(failure(model), 5)
    assert reason == "The language model did not answer in time."
    assert time.monotonic() - started < 1.5
    assert len(openai_server.completions) == 1
    openai_server.reset()
    await model.aclose()


async def test_the_configured_retries_are_made(openai_server: OpenAIServer) -> None:
    model = OpenAIChat(openai_server.url, KEY, MODEL, timeout_seconds=5, max_retries=1)
    openai_server.reply(status=500, headers={"retry-after-ms": "10"})
    openai_server.reply(ANSWER)
    assert (await model.complete(QUESTION)).text == ANSWER
    assert len(openai_server.completions) == 2
    await model.aclose()


async def test_a_stream_that_stalls_becomes_ai_unavailable_after_the_text_so_far(
    openai_server: OpenAIServer,
) -> None:
    model = OpenAIChat(openai_server.url, KEY, MODEL, timeout_seconds=0.3, max_retries=0)
    openai_server.reply("a b", chunks=["a ", "b"], chunk_delay=1)
    received: list[str] = []
    with pytest.raises(AiUnavailable, match="did not answer in time"):
        await read(model.stream(QUESTION), into=received)
    assert received == []
    openai_server.reply("a b c", chunks=["a ", "b ", "c"], fail_after=2)
    with pytest.raises(AiUnavailable, match="stopped with an error"):
        await read(model.stream(QUESTION), into=received)
    assert received == ["a ", "b "]
    await model.aclose()


async def test_a_closed_port_becomes_ai_unavailable() -> None:
    model = OpenAIChat(f"http://127.0.0.1:{free_port()}/v1", KEY, MODEL, timeout_seconds=2, max_retries=0)
    assert "could not be reached" in await failure(model)
    assert "could not be reached" in await failure(model, streaming=True)
    await model.aclose()


async def test_answers_that_cannot_be_read_become_ai_unavailable(
    chat: OpenAIChat, openai_server: OpenAIServer
) -> None:
    openai_server.reply(raw="<html>Bad gateway</html>")
    assert "could not read" in await failure(chat)
    openai_server.reply(ANSWER, choices=False)
    assert "could not read" in await failure(chat)
    openai_server.reply("")
    assert "empty answer" in await failure(chat)
    openai_server.reply(events=["{not json", "[DONE]"])
    assert "could not read" in await failure(chat, streaming=True)
    openai_server.reply(raw="<html>Bad gateway</html>")
    assert "empty answer" in await failure(chat, streaming=True)
    openai_server.reply(ANSWER, choices=False)
    assert "empty answer" in await failure(chat, streaming=True)


async def test_a_reasoning_model_gets_max_completion_tokens_and_no_temperature(
    chat: OpenAIChat, openai_server: OpenAIServer
) -> None:
    openai_server.reply(
        status=400,
        error={
            "message": "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            "type": "invalid_request_error",
            "param": "max_tokens",
            "code": "unsupported_parameter",
        },
    )
    openai_server.reply(
        status=400,
        error={
            "message": "Unsupported value: 'temperature' does not support 0.3 with this model. "
            "Only the default (1) value is supported.",
            "type": "invalid_request_error",
            "param": "temperature",
            "code": "unsupported_value",
        },
    )
    openai_server.reply(ANSWER)
    assert (await chat.complete(QUESTION, max_tokens=300)).text == ANSWER
    assert [delta async for delta in chat.stream(QUESTION, max_tokens=300)]
    first, second, third, streamed = (request.body for request in openai_server.completions)
    assert first["max_tokens"] == 300
    assert first["temperature"] == 0.3
    assert "max_tokens" not in second
    assert second["max_completion_tokens"] == 300
    assert "temperature" not in third
    assert third["max_completion_tokens"] == 300
    assert "temperature" not in streamed
    assert "max_tokens" not in streamed


async def test_other_bad_requests_are_not_retried(chat: OpenAIChat, openai_server: OpenAIServer) -> None:
    openai_server.reply(
        status=400,
        error={"message": "This model's maximum context length is 8192 tokens.", "param": "messages"},
    )
    assert "too long" in await failure(chat)
    assert len(openai_server.completions) == 1


async def test_a_server_without_keys_gets_a_placeholder(openai_server: OpenAIServer) -> None:
    model = OpenAIChat(openai_server.url, "", "llama3.2", timeout_seconds=5, max_retries=0)
    assert (await model.complete([ChatMessage("user", "hi")])).text == echo("hi")
    [request] = openai_server.completions
    assert request.model == "llama3.2"
    assert request.authorization == "Bearer no-key"
    await model.aclose()


async def test_without_a_language_model_every_call_says_how_to_configure_one() -> None:
    model = NoChatModel()
    with pytest.raises(AiUnavailable, match="DESKQL_OPENAI_BASE_URL") as raised:
        await model.complete(QUESTION)
    assert "DESKQL_OPENAI_BASE_URL" in raised.value.reason
    stream = model.stream(QUESTION)
    with pytest.raises(AiUnavailable, match="DESKQL_OPENAI_BASE_URL"):
        await anext(stream)


@pytest.fixture
def restore_ai() -> Iterator[None]:
    chat, analyzer = chat_model(), text_analyzer()
    yield
    install_ai(chat, analyzer)


@pytest.mark.usefixtures("restore_ai")
async def test_the_application_plugs_in_the_configured_model(openai_server: OpenAIServer) -> None:
    install_services(Settings(secret_key=TEST_SECRET_KEY))
    assert not ai_configured()
    assert isinstance(chat_model(), NoChatModel)
    assert text_analyzer().sentiment("This is great, thank you!").label == "POSITIVE"

    install_services(
        Settings(secret_key=TEST_SECRET_KEY, openai_base_url=openai_server.url + "/", openai_api_key=KEY)
    )
    assert ai_configured()
    model = chat_model()
    assert isinstance(model, OpenAIChat)
    assert model.model == "gpt-4o-mini"
    assert (await model.complete([ChatMessage("user", "hello")])).text == echo("hello")
    assert openai_server.completions[0].authorization == f"Bearer {KEY}"
    await model.aclose()


def test_build_ai_without_a_base_url_has_no_language_model_but_an_analyzer() -> None:
    chat, analyzer = build_ai(Settings(secret_key=TEST_SECRET_KEY, openai_api_key=KEY))
    assert isinstance(chat, NoChatModel)
    assert isinstance(analyzer, LocalTextAnalyzer)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    import os

    for variable in [name for name in os.environ if name.startswith("DESKQL_")]:
        monkeypatch.delenv(variable)
    return monkeypatch


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DESKQL_OPENAI_BASE_URL", "api.openai.com/v1"),
        ("DESKQL_OPENAI_BASE_URL", "ftp://models.example.com"),
        ("DESKQL_OPENAI_TIMEOUT_SECONDS", "0"),
        ("DESKQL_OPENAI_MAX_RETRIES", "11"),
    ],
)
def test_a_wrong_ai_setting_names_its_variable(
    environment: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    environment.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"^{variable}: "):
        load_settings()


def test_the_ai_settings_are_read_and_the_key_is_kept_out_of_sight(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("DESKQL_OPENAI_BASE_URL", "http://127.0.0.1:11434/v1/")
    environment.setenv("DESKQL_OPENAI_API_KEY", KEY)
    environment.setenv("DESKQL_OPENAI_MODEL", "llama3.2")
    environment.setenv("DESKQL_OPENAI_TIMEOUT_SECONDS", "12.5")
    settings = load_settings()
    assert settings.openai_base_url == "http://127.0.0.1:11434/v1"
    assert settings.openai_api_key.get_secret_value() == KEY
    assert settings.openai_model == "llama3.2"
    assert settings.openai_timeout_seconds == 12.5
    assert settings.openai_max_retries == 2
    assert KEY not in repr(settings)
    assert KEY not in str(settings)
    assert KEY not in settings.model_dump_json()


ANALYZER = LocalTextAnalyzer()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Thanks so much, the printer works perfectly now. Great job!", "POSITIVE"),
        ("The fix worked, thank you for the quick help!", "POSITIVE"),
        ("This is the third time the VPN is broken, I am furious and cannot work.", "NEGATIVE"),
        ("Outlook crashes after the update and I lost a whole morning of work.", "NEGATIVE"),
        ("My screen is frozen again, this laptop is unusable.", "NEGATIVE"),
        ("Please reset the password of the shared mailbox.", "NEUTRAL"),
        ("The new laptop for Anna arrives on Monday.", "NEUTRAL"),
        ("Please install Visio on my workstation.", "NEUTRAL"),
    ],
)
def test_sentiment_labels_helpdesk_sentences(text: str, label: str) -> None:
    sentiment = ANALYZER.sentiment(text)
    assert sentiment.label == label
    assert -1 <= sentiment.score <= 1
    assert (sentiment.score > 0) if label == "POSITIVE" else True
    assert (sentiment.score < 0) if label == "NEGATIVE" else True


TICKET = """Hi team,

since the Windows update this morning Outlook crashes every time I open it (error 0x80040115).
I also cannot connect to the VPN from home: GlobalProtect says the gateway is unreachable.
I need my email for a client meeting at 3pm, please help ASAP!

Kind regards,
Maria Rossi"""


def test_keywords_of_a_ticket_are_its_obvious_terms_without_stopwords() -> None:
    keywords = ANALYZER.keywords(TICKET, limit=8)
    words = {word for keyword in keywords for word in keyword.split()}
    assert {"outlook", "vpn"} <= words
    assert "windows update" in keywords or {"windows", "update"} <= words
    assert not words & {"the", "i", "to", "my", "hi", "team", "please", "help", "asap", "morning", "maria"}
    assert not words & {"0x80040115", "3pm"}
    assert all(keyword == keyword.lower() for keyword in keywords)
    assert all(len(keyword) <= 30 for keyword in keywords)
    assert len(keywords) == len(set(keywords)) <= 8
    assert ANALYZER.keywords(TICKET, limit=2) == keywords[:2]


def test_keywords_of_nothing_are_none() -> None:
    assert ANALYZER.keywords("") == []
    assert ANALYZER.keywords("Hello, thanks!") == []
    assert ANALYZER.keywords(TICKET, limit=0) == []
