"""The words of the benchmark data set: comment texts of realistic sizes, names, files, organisations.

Texts are drawn once into pools (a few thousand per kind) and reused, so that generating 500,000
comments costs a choice per comment instead of string building.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.demo_text import FIRST_NAMES, LAST_NAMES, SCENARIOS

GREETINGS = ["Hi {name},", "Hello {name},", "Good morning {name},", "Dear {name},", "{name},"]
TECH_SENTENCES = [
    "Thanks for the details, that helps a lot.",
    "I have connected remotely and I can see the same error on your machine.",
    "Could you restart the computer and tell me whether the problem is still there?",
    "I have pushed a configuration update; it should reach your device within the next hour.",
    "The vendor confirmed this is a known issue and a fix is planned for the next release.",
    "As a workaround, please use the web version until we have rolled out the update.",
    "I checked the logs on the server and the last successful sync was yesterday at 17:42.",
    "Please leave the laptop switched on and connected tonight so the update can install.",
    "I have reset the cached credentials and re-registered the device in Intune.",
    "We replaced the faulty part this morning; please let me know if anything still looks wrong.",
    "Your mailbox was over its quota, I have archived messages older than two years.",
    "I scheduled the change for Saturday at 08:00 to avoid disrupting the team.",
    "The licence has been assigned; sign out and back in to pick it up.",
    "I will keep this ticket open for a couple of days to make sure it does not come back.",
    "Could you send me a screenshot of the exact message you see?",
]
REQUESTER_SENTENCES = [
    "Thanks, I will try that right away.",
    "It happened again this morning at around 9:15, same message as before.",
    "I restarted as you asked but nothing changed.",
    "It works now, thank you so much for the quick help!",
    "My colleague at the front desk has the same problem since yesterday.",
    "I attached a screenshot of the error.",
    "I am out of the office tomorrow, could we do this on Thursday instead?",
    "The printer shows a paper jam even though the tray is empty.",
    "Is there anything I need to do on my side before the update?",
    "This is quite urgent because we have a client presentation this afternoon.",
    "Sorry for the late reply, I was on holiday last week.",
    "Yes, I can confirm that the VPN stays connected now.",
]
NOTE_SENTENCES = [
    "Checked event log: disk errors on the second drive, ordered a replacement.",
    "Escalated to the network team, waiting for the firewall change window.",
    "User is a VIP, keep the manager in the loop.",
    "Same root cause as the ticket from last month: expired certificate on the proxy.",
    "Vendor case opened, reference 4471-22-A.",
    "Do not reimage: the user keeps local project files outside OneDrive.",
    "Licence pool is empty, requested two more seats from purchasing.",
    "Remote session recorded, see attachment for the trace.",
    "Patched in the maintenance window, monitoring for 48 h before closing.",
    "Backup verified before the change, restore point taken at 07:30.",
]
SIGNATURES = [
    "Best regards,\n{name}",
    "Thanks,\n{name}",
    "Kind regards,\n{name}\nSent from my phone",
    "Cheers,\n{name}",
]
FILES = [
    ("screenshot.png", "image/png", 40_000, 900_000),
    ("error-message.png", "image/png", 20_000, 400_000),
    ("photo.jpg", "image/jpeg", 300_000, 4_500_000),
    ("event-log.txt", "text/plain", 2_000, 250_000),
    ("trace.log", "text/plain", 10_000, 2_000_000),
    ("invoice.pdf", "application/pdf", 60_000, 1_500_000),
    ("quote.pdf", "application/pdf", 40_000, 600_000),
    (
        "inventory.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        15_000,
        400_000,
    ),
    ("config-backup.zip", "application/zip", 50_000, 8_000_000),
]
CUSTOMER_WORDS = [
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Northwind",
    "Adventure",
    "Litware",
    "Proseware",
    "Woodgrove",
    "Lucerne",
    "Alpine",
    "Coho",
    "Wingtip",
    "Humongous",
    "Margie's",
    "Trey",
    "Blue Yonder",
    "Consolidated",
    "Graphic",
    "Southridge",
    "Fourth Coffee",
]
INDUSTRIES = [
    "Dental Group",
    "Logistics",
    "Architects",
    "Law Firm",
    "Accounting",
    "Veterinary Clinic",
    "Construction",
    "Hotels",
    "Pharmacy",
    "Engineering",
]
DEPARTMENTS = [
    "Reception",
    "Finance",
    "Sales",
    "Operations",
    "Management",
    "Warehouse",
    "Design",
    "Clinical",
    "Human Resources",
    "Marketing",
    "Dispatch",
    "Legal",
]
EXTRA_TAGS = [
    "urgent",
    "vip",
    "warranty",
    "follow-up",
    "vendor",
    "backup",
    "firewall",
    "wifi",
    "mfa",
    "sharepoint",
    "onedrive",
    "intune",
    "license",
    "erp",
    "crm",
    "phone",
    "mobile",
    "scanner",
    "citrix",
    "rdp",
    "dns",
    "dhcp",
    "certificate",
    "antivirus",
    "patching",
    "windows-update",
    "macos",
    "linux",
    "azure",
    "aws",
]


@dataclass(frozen=True)
class Text:
    body: str
    text: str


def _paragraphs(rng: random.Random, sentences: list[str], lines: list[str], count: int) -> list[str]:
    paragraphs = []
    for _ in range(count):
        picked = rng.sample(sentences, rng.randint(1, 4))
        if lines and rng.random() < 0.5:
            picked.insert(0, rng.choice(lines))
        paragraphs.append(" ".join(picked))
    return paragraphs


def _text(paragraphs: list[str]) -> Text:
    return Text(body="".join(f"<p>{p}</p>" for p in paragraphs), text="\n\n".join(paragraphs))


def pools(rng: random.Random, size: int = 1500) -> dict[str, list[Text]]:
    """Comment texts by author kind: "tech" (public replies), "requester" and "note" (internal notes).

    Sizes follow helpdesk mail: most replies are a few sentences, some run to several paragraphs.
    """
    lines: dict[str, list[str]] = {"tech": [], "requester": [], "note": []}
    for scenario in SCENARIOS:
        for who, line in scenario.conversation:
            lines[who].append(line)
        lines["tech"].append(scenario.resolution)
    names = [f"{first} {last}" for first, last in zip(FIRST_NAMES, LAST_NAMES, strict=True)]
    found: dict[str, list[Text]] = {"tech": [], "requester": [], "note": []}
    for _ in range(size):
        count = rng.choice([1, 1, 1, 2, 2, 2, 3, 3, 4, 6])
        greeting = rng.choice(GREETINGS).format(name=rng.choice(FIRST_NAMES))
        sign = rng.choice(names)
        tech = _paragraphs(rng, TECH_SENTENCES, lines["tech"], count)
        found["tech"].append(_text([greeting, *tech, f"{sign.split()[0]}, Service Desk"]))
        requester = _paragraphs(rng, REQUESTER_SENTENCES, lines["requester"], max(1, count - 1))
        signature = rng.choice(SIGNATURES).format(name=rng.choice(names))
        found["requester"].append(_text([*requester, *signature.split("\n")]))
        found["note"].append(_text(_paragraphs(rng, NOTE_SENTENCES, lines["note"], max(1, count // 2))))
    return found


def person_names(count: int, rng: random.Random, offset: int = 0) -> list[str]:
    """Distinct full names: first x last, with a middle initial once the pairs run out."""
    pairs = [(first, last) for last in LAST_NAMES for first in FIRST_NAMES]
    rng.shuffle(pairs)
    names: list[str] = []
    for index in range(offset, offset + count):
        first, last = pairs[index % len(pairs)]
        round_ = index // len(pairs)
        names.append(f"{first} {chr(ord('A') + round_ - 1)}. {last}" if round_ else f"{first} {last}")
    return names
