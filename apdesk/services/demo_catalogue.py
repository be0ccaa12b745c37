"""The fixed cast of the demo programme: fictional organisations across the northern ICS
areas, name lists, modules and settings. Everything is marked "(demo)" so demo data can
never be mistaken for a real trust's records."""

from __future__ import annotations

from datetime import date

from apdesk.domain.enums import ProviderKind, Role, Sector

# The demo's staff accounts (user name, full name, role, job title); mentors are generated.
STAFF: tuple[tuple[str, str, Role, str], ...] = (
    ("admin", "Programme Administrator", Role.ADMINISTRATOR, "Systems administrator"),
    ("edlead1", "Helen Barker", Role.EDUCATION_LEAD, "Apprenticeship education lead"),
    ("edlead2", "Marcus Osei", Role.EDUCATION_LEAD, "Practice education facilitator"),
)

PROVIDERS: tuple[tuple[str, ProviderKind, str], ...] = (
    ("University of Northbridge (demo)", ProviderKind.HEI, "10099001"),
    ("Pennine College (demo)", ProviderKind.FE, "10099002"),
    ("Mersey Bay University (demo)", ProviderKind.HEI, "10099003"),
)

EMPLOYERS: tuple[tuple[str, Sector, str], ...] = (
    ("Merseyside Mental Health NHS Foundation Trust (demo)", Sector.NHS, "Cheshire and Merseyside"),
    ("Open Door Recovery (demo)", Sector.THIRD_SECTOR, "Cheshire and Merseyside"),
    ("Greater Manchester Community Care NHS Trust (demo)", Sector.NHS, "Greater Manchester"),
    ("Wellbeing Together CIC (demo)", Sector.THIRD_SECTOR, "Greater Manchester"),
    (
        "Lancashire Coast Care NHS Foundation Trust (demo)",
        Sector.NHS,
        "Lancashire and South Cumbria",
    ),
    ("Tyne and Wear Minds NHS Trust (demo)", Sector.NHS, "North East and North Cumbria"),
    ("Humber Vale Health NHS Trust (demo)", Sector.NHS, "Humber and North Yorkshire"),
    ("Dales Community Mind (demo)", Sector.THIRD_SECTOR, "Humber and North Yorkshire"),
    ("South Yorkshire Partnership NHS Foundation Trust (demo)", Sector.NHS, "South Yorkshire"),
    ("West Yorkshire Talking Therapies Partnership (demo)", Sector.THIRD_SECTOR, "West Yorkshire"),
)

# (start date, region prefix, ST0215 version): one intake of each kind the programme has run,
# so every OTJ funding regime and both Care Certificate versions appear.
COHORT_STARTS: tuple[tuple[date, str, str], ...] = (
    (date(2022, 9, 12), "NW", "1.0"),
    (date(2023, 9, 11), "NEY", "1.1"),
    (date(2024, 3, 4), "NW", "1.1"),
    (date(2024, 9, 9), "NEY", "1.1"),
    (date(2025, 2, 24), "NW", "1.1"),
    (date(2025, 9, 8), "NEY", "1.1"),
    (date(2026, 3, 2), "NW", "1.1"),
    (date(2026, 9, 7), "NEY", "1.1"),
)

PROGRAMME = "FdSc Health and Social Care (Assistant Practitioner, Mental Health)"

YEAR_ONE_MODULES = (
    "Foundations of Mental Health Practice",
    "Communication and Therapeutic Relationships",
    "Anatomy, Physiology and Physical Health",
    "Professional, Legal and Ethical Practice",
)
YEAR_TWO_MODULES = (
    "Psychosocial Interventions",
    "Social Prescribing and Care Navigation",
    "Leading Psychoeducational Groups",
    "Evidence-based Practice and Service Improvement",
)

CARE_PATHWAYS = {
    "Adult community mental health": (
        "Community mental health team",
        "Early intervention in psychosis",
    ),
    "Adult inpatient mental health": ("Acute inpatient ward", "Psychiatric intensive care"),
    "IAPT (NHS Talking Therapies)": ("Step 2 guided self-help", "Employment support"),
    "CYP mental health": ("CAMHS community", "Eating disorders"),
    "Community Wellbeing": ("Social prescribing", "Recovery college"),
    "Primary Care": ("Long-term conditions", "Frailty"),
    "GP": ("Mental health practitioner in practice", "Care navigation"),
    "End of Life": ("Hospice at home", "Palliative care"),
}

FIRST_NAMES = (
    "Aisha",
    "Amelia",
    "Ben",
    "Bethany",
    "Callum",
    "Chloe",
    "Connor",
    "Daniel",
    "Ella",
    "Emma",
    "Farah",
    "Grace",
    "Hannah",
    "Harry",
    "Imran",
    "Isla",
    "Jack",
    "Jade",
    "Jamal",
    "Jessica",
    "Kieran",
    "Laura",
    "Leah",
    "Liam",
    "Lucy",
    "Megan",
    "Mohammed",
    "Nadia",
    "Niamh",
    "Oliver",
    "Priya",
    "Rachel",
    "Ryan",
    "Sadia",
    "Samantha",
    "Sophie",
    "Tariq",
    "Tom",
    "Yasmin",
    "Zoe",
)
LAST_NAMES = (
    "Ahmed",
    "Ali",
    "Atkinson",
    "Bailey",
    "Begum",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hall",
    "Hussain",
    "Jackson",
    "Johnson",
    "Kaur",
    "Khan",
    "Lee",
    "Lewis",
    "Mahmood",
    "Martin",
    "Mistry",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Patel",
    "Roberts",
    "Robinson",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thompson",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
)
MENTOR_REGISTRATIONS = ("NMC", "HCPC", "SWE")  # nurse, allied health professional, social worker
SETTINGS = (
    "Community team base",
    "Service user's home",
    "Inpatient ward",
    "GP practice",
    "Community group venue",
    "Video consultation",
)
REVOCATION_REASONS = (
    "Signed against the wrong competency; the observation was of care navigation.",
    "Evidence referred to a session the mentor did not observe; re-observation arranged.",
)
