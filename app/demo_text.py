"""The words of the demo data: people, organisations and helpdesk conversations an MSP would recognise."""

from __future__ import annotations

from dataclasses import dataclass

FIRST_NAMES = [
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Sophia",
    "Lucas",
    "Mia",
    "Ethan",
    "Chloe",
    "Mateo",
    "Amelia",
    "Leo",
    "Hannah",
    "Samuel",
    "Grace",
    "Daniel",
    "Isla",
    "Jonas",
    "Zoe",
    "Adrian",
    "Nora",
    "Felix",
    "Clara",
    "Omar",
    "Elena",
    "Victor",
    "Maya",
    "Hugo",
    "Lina",
    "Tobias",
]
LAST_NAMES = [
    "Fischer",
    "Bennett",
    "Rossi",
    "Kowalski",
    "Nguyen",
    "Okafor",
    "Larsen",
    "Moreau",
    "Schmidt",
    "Haddad",
    "Costa",
    "Murphy",
    "Tanaka",
    "Novak",
    "Silva",
    "Brennan",
    "Jansen",
    "Ortega",
    "Lindqvist",
    "Patel",
    "Dubois",
    "Keller",
    "Romero",
    "Walsh",
    "Ivanova",
    "Berg",
    "Mancini",
    "Ahmed",
    "Holm",
    "Varga",
]
JOB_TITLES = [
    "Office Manager",
    "Accountant",
    "Receptionist",
    "Logistics Coordinator",
    "Architect",
    "Dental Hygienist",
    "Practice Manager",
    "Warehouse Supervisor",
    "Project Manager",
    "Sales Representative",
    "CAD Technician",
    "HR Generalist",
    "Dispatcher",
    "Finance Director",
    "Marketing Specialist",
]
TECHNICIANS = [
    ("Alex Morgan", "ADMIN"),
    ("Priya Shah", "TECHNICIAN"),
    ("Marco Bianchi", "TECHNICIAN"),
    ("Sara Lindgren", "TECHNICIAN"),
    ("Kwame Mensah", "TECHNICIAN"),
    ("Julia Weber", "TECHNICIAN"),
]
# Teams and their members (names from TECHNICIANS); an unassigned ticket waits in the first team's queue.
TEAMS = [
    ("Service desk", ["Priya Shah", "Marco Bianchi", "Sara Lindgren"]),
    ("Field services", ["Kwame Mensah", "Julia Weber", "Alex Morgan"]),
]
CUSTOMERS = [
    (
        "Contoso Dental Group",
        ["Riverside Clinic", "Hillcrest Clinic"],
        ["Reception", "Clinical", "Management"],
    ),
    ("Fabrikam Logistics", ["Harbour Warehouse", "Head Office"], ["Warehouse", "Dispatch", "Finance"]),
    ("Tailspin Architects", ["Studio"], ["Design", "Administration"]),
]
DEVICE_KINDS = [
    ("Windows 11 Pro 23H2", "LT"),
    ("Windows 10 Pro 22H2", "PC"),
    ("macOS 14 Sonoma", "MBP"),
    ("Windows Server 2022", "SRV"),
    ("Ubuntu 22.04 LTS", "NUC"),
]


@dataclass(frozen=True)
class Scenario:
    title: str
    description: str
    ticket_type: str
    tags: tuple[str, ...]
    conversation: tuple[tuple[str, str], ...]
    """(who, text): who is "tech", "note" (an internal note) or "requester"."""
    resolution: str


SCENARIOS = [
    Scenario(
        "Outlook keeps asking for my password",
        "Since this morning Outlook pops up a credentials prompt every few minutes. I type my password and it "
        "comes back. Webmail works fine.",
        "INCIDENT",
        ("email", "outlook", "m365"),
        (
            (
                "tech",
                "Thanks for reporting this. Could you tell me whether you changed your password recently?",
            ),
            ("requester", "Yes, IT forced a reset on Monday."),
            ("note", "Cached credentials in Windows Credential Manager still hold the old password."),
        ),
        "Removed the stale Office entries from Credential Manager and signed in again; the prompt is gone.",
    ),
    Scenario(
        "Printer on the second floor jams on every job",
        "The HP LaserJet next to the kitchen jams on every print job and shows error 13.B9.",
        "INCIDENT",
        ("printer", "hardware"),
        (
            ("tech", "Is it jamming with every paper tray or only with tray 2?"),
            ("requester", "Only tray 2, the other one works."),
            ("note", "Pickup roller on tray 2 worn out. Part ordered: RM2-5452."),
        ),
        "Replaced the tray 2 pickup roller; 50 test pages printed without a jam.",
    ),
    Scenario(
        "VPN disconnects every 10 minutes from home",
        "When working from home the VPN client drops the connection roughly every ten minutes and I lose my "
        "RDP session.",
        "INCIDENT",
        ("vpn", "remote-work", "network"),
        (
            (
                "tech",
                "Are you on Wi-Fi or cable at home? And which VPN client version do you see under About?",
            ),
            ("requester", "Wi-Fi, version 7.2.1."),
            ("note", "Known issue in 7.2.1 with aggressive DPD timers. 7.2.4 fixes it."),
        ),
        "Upgraded the VPN client to 7.2.4; the user stayed connected through a full working day.",
    ),
    Scenario(
        "New starter next Monday needs a laptop and accounts",
        "We have a new logistics coordinator starting on Monday. Please prepare a laptop, an M365 licence and "
        "access to the shared dispatch mailbox.",
        "REQUEST",
        ("onboarding", "m365"),
        (
            ("tech", "Happy to help. Which cost centre should the licence go to, and does she need the ERP?"),
            ("requester", "Cost centre 4410, and yes, ERP read-only."),
            ("note", "Laptop LT-0187 imaged with the standard build, waiting for the ERP role approval."),
        ),
        "Laptop delivered, accounts created, dispatch mailbox and ERP read-only access granted.",
    ),
    Scenario(
        "Shared drive S: is very slow",
        "Opening files on the S: drive takes almost a minute since yesterday afternoon. Everybody in the office "
        "has the same problem.",
        "PROBLEM",
        ("file-server", "performance", "network"),
        (
            ("note", "Storage latency on FS01 above 200 ms. Backup job still running from last night."),
            (
                "tech",
                "We found a backup job that did not finish overnight and is slowing the file server down.",
            ),
            ("requester", "It is a bit better now, thanks."),
        ),
        "Moved the backup window to 01:00 and excluded the scratch folder; latency back under 5 ms.",
    ),
    Scenario(
        "Please reset my password",
        "I forgot my password after the holidays and I am locked out of my computer.",
        "REQUEST",
        ("password-reset", "account"),
        (
            ("tech", "I have reset it and sent a temporary password to your manager by text message."),
            ("requester", "Got it, I am in. Thank you!"),
        ),
        "Password reset and account unlocked; MFA re-registered.",
    ),
    Scenario(
        "Teams calls have no audio",
        "In Teams meetings nobody can hear me, although the headset works in other apps.",
        "INCIDENT",
        ("teams", "audio", "m365"),
        (
            ("tech", "Could you check in Teams under Settings > Devices which microphone is selected?"),
            ("requester", "It said 'Default device'. I picked the Jabra and now it works in the test call."),
        ),
        "Microphone selection in Teams set to the headset explicitly.",
    ),
    Scenario(
        "Install AutoCAD 2025 on the studio workstations",
        "We bought five AutoCAD 2025 licences. Please roll them out to the studio workstations before Friday.",
        "CHANGE",
        ("software", "autocad", "deployment"),
        (
            ("tech", "We will deploy tonight after 19:00 so nobody loses work. Please save and log off."),
            ("note", "Package tested on WS-STUDIO-03. Licence server reachable on port 27000."),
            ("requester", "Everyone knows, thanks."),
        ),
        "AutoCAD 2025 deployed to five workstations and licences activated.",
    ),
    Scenario(
        "Server SRV-DC01 disk almost full",
        "Monitoring alert: C: on SRV-DC01 is at 94 percent.",
        "INCIDENT",
        ("server", "disk-space", "monitoring"),
        (("note", "WinSxS and old IIS logs take 18 GB. Cleaning up with DISM and log rotation."),),
        "Freed 21 GB (component store cleanup, IIS log rotation to 30 days); disk at 61 percent.",
    ),
    Scenario(
        "Phishing email received, did I click a bad link?",
        "I received an email that looked like it came from our bank and I clicked the link before noticing. "
        "I did not enter anything.",
        "INCIDENT",
        ("security", "phishing"),
        (
            ("tech", "Thank you for telling us quickly. Please do not use the laptop until we call you."),
            (
                "note",
                "Defender shows no detection; URL blocked tenant-wide; sessions revoked as a precaution.",
            ),
            ("requester", "Understood, I am waiting."),
        ),
        "No compromise found; URL blocked for the whole tenant and the user's sessions revoked.",
    ),
    Scenario(
        "Second monitor not detected after docking",
        "When I plug my laptop into the dock only one of the two monitors comes on.",
        "INCIDENT",
        ("hardware", "dock", "display"),
        (
            ("tech", "Which dock model is it? The label is on the bottom."),
            ("requester", "Dell WD19S."),
            ("note", "Dock firmware 01.00.14 has the DisplayPort MST bug. Update to 01.00.20."),
        ),
        "Updated the dock firmware; both monitors are detected after docking.",
    ),
    Scenario(
        "Access to the Finance SharePoint site",
        "I moved to the finance team and need access to the Finance SharePoint site and the budget folder.",
        "REQUEST",
        ("access", "sharepoint"),
        (
            ("tech", "Your manager needs to approve this. I have sent the request to them."),
            ("requester", "She approved it this morning."),
        ),
        "Added the user to the Finance Members group after manager approval.",
    ),
    Scenario(
        "Wi-Fi in the meeting room keeps dropping",
        "Guests in meeting room B lose the Wi-Fi connection every few minutes.",
        "PROBLEM",
        ("wifi", "network"),
        (
            ("note", "AP-2F-03 rebooting every 15 minutes, PoE budget exceeded on the switch."),
            ("tech", "We found the access point is short of power and will move it to another switch port."),
        ),
        "Moved AP-2F-03 to a PoE+ port; no disconnects in 48 hours.",
    ),
    Scenario(
        "Quote needed for three new laptops",
        "Could you send us a quote for three laptops for the sales team, similar to the ones we bought last year?",
        "REQUEST",
        ("procurement", "hardware"),
        (
            ("tech", "Sure. Do you want the 14-inch model again, with docking stations?"),
            ("requester", "Yes, 14-inch, with docks please."),
        ),
        "Quote sent for three 14-inch laptops with docks and three-year warranty.",
    ),
    Scenario(
        "ERP client crashes when printing invoices",
        "The ERP client closes without a message whenever I print an invoice.",
        "INCIDENT",
        ("erp", "printer", "software"),
        (
            ("tech", "Does it happen with every printer or only the invoice printer?"),
            ("requester", "Only the invoice printer."),
            ("note", "Printer driver v4 incompatible with the ERP report engine. Switch to the v3 driver."),
        ),
        "Replaced the printer driver with the v3 driver; invoices print again.",
    ),
    Scenario(
        "Firewall firmware update",
        "Planned change: update the FortiGate firmware to the latest patch release this weekend.",
        "CHANGE",
        ("firewall", "security", "maintenance"),
        (
            ("note", "Change window Saturday 22:00-23:00. Config backup taken, rollback image ready."),
            ("tech", "The update is scheduled for Saturday at 22:00; expect a short outage."),
        ),
        "Firmware updated during the window; VPN and site-to-site tunnels verified.",
    ),
    Scenario(
        "Cannot scan to email from the copier",
        "Scanning to email from the big copier stopped working. It says 'SMTP authentication failed'.",
        "INCIDENT",
        ("scanner", "email", "m365"),
        (
            ("note", "Basic SMTP auth disabled by Microsoft for the tenant. Move copier to the SMTP relay."),
            ("tech", "We are moving the copier to a secure relay; scanning will work again this afternoon."),
        ),
        "Configured the copier to send through the SMTP relay connector; scan to email works.",
    ),
    Scenario(
        "Backup failed for two nights",
        "The backup report shows the job for the accounting server failed on the last two nights.",
        "PROBLEM",
        ("backup", "server"),
        (("note", "VSS writer for SQL in a failed state. Restarting the SQL VSS writer service."),),
        "Restarted the SQL VSS writer, ran a manual backup and verified a test restore.",
    ),
    Scenario(
        "Mobile phone does not receive work email",
        "My new iPhone does not get work emails, although I added the account.",
        "INCIDENT",
        ("mobile", "email", "intune"),
        (
            ("tech", "Work email on phones needs the Outlook app and enrolment in our device management."),
            ("requester", "I installed Outlook and now I see the emails."),
        ),
        "Enrolled the phone in Intune and set up the Outlook app.",
    ),
    Scenario(
        "Offboarding: employee leaving on Friday",
        "Jana from dispatch leaves us on Friday. Please disable her accounts and forward her email to me.",
        "REQUEST",
        ("offboarding", "account"),
        (
            (
                "tech",
                "We will disable her accounts on Friday at 17:00 and forward her mailbox to you for 30 days.",
            ),
        ),
        "Accounts disabled, mailbox converted to shared and forwarded, laptop collected.",
    ),
]
