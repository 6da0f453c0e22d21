"""Ingest benchmark: N varied synthetic articles into a fresh store; prints articles/s, triples/s, peak RSS
and where the time goes.

    python bench/ingest.py                 # 10,000 articles, all cores
    python bench/ingest.py -n 2000 --workers 1 --keep /tmp/store
    python bench/ingest.py -n 2000 --store 'http://127.0.0.1:8890/sparql#update=/sparql-auth'   # a SPARQL store
    python bench/ingest.py -n 3000 --http  # also through a kg serve: kg ingest --server's rate against the CLI's

The articles are generated from the gazetteer (real states, their leaders on the article's date, their
capitals) in the three text formats the reader knows, with visits, talks, calls, signings, joint
statements, sanctions and protests, quotes, topics and background sentences, so that every stage of the
pipeline does the work it does on news.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import gazetteer as gz  # noqa: E402

OUTLETS = ("Global Affairs Daily", "The Diplomatic Wire", "Capital Herald", "Eurasia Monitor", "Pacific Review",
           "Africa Briefing", "Andes Wire", "Nordic Security Review", "Gulf Times Online", "Asia Pacific Monitor")
AGENCIES = ("Reuters", "AFP", "AP", "Xinhua", "Anadolu", "KUNA", "Sputnik", "PTI", "EFE", "Kyodo")
AUTHORS = ("Maria Lopez", "Chen Wei", "Amina Yusuf", "John Carter", "Olga Petrova", "Ravi Menon", "Ken Takeda")
TOPICS = (("defence cooperation", "joint military exercises"), ("trade and investment", "a free trade agreement"),
          ("energy security", "gas supplies"), ("climate change", "renewable energy"),
          ("cybersecurity", "cyber threats"),
          ("counter-terrorism", "extremist groups"), ("health cooperation", "vaccine production"),
          ("migration", "refugees"), ("maritime security", "freedom of navigation"), ("food security", "grain exports"),
          ("infrastructure", "railway projects"), ("education", "student exchanges"),
          ("tourism and culture", "the arts"))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _leaders(gaz: gz.Gazetteer, iso3: str, day: date) -> list[gz.OfficeTerm]:
    return [t for t in gaz.office_terms if t.of == iso3 and t.holds_on(day)]


def _person(gaz: gz.Gazetteer, rng: random.Random, iso3: str, day: date) -> tuple[str, str]:
    terms = _leaders(gaz, iso3, day)
    if terms:
        t = rng.choice(terms)
        return t.person, t.title or t.office
    first = rng.choice(("Amara", "Luis", "Sofia", "Tariq", "Nadia", "Pavel", "Ines", "Kofi", "Mei", "Jonas"))
    last = rng.choice(("Okafor", "Silva", "Haddad", "Novak", "Rahman", "Kowalski", "Mensah", "Tanaka", "Ortiz"))
    return f"{first} {last}", rng.choice(("Foreign Minister", "Trade Minister", "Deputy Prime Minister", "Ambassador"))


def article(gaz: gz.Gazetteer, rng: random.Random, n: int) -> tuple[str, str]:
    """One synthetic article: (file name, text)."""
    with_leaders = sorted({t.of for t in gaz.office_terms if t.of in gaz.countries})
    a, b = rng.sample(with_leaders, 2)
    ca, cb = gaz.countries[a], gaz.countries[b]
    published = date(2015, 1, 1) + timedelta(days=rng.randrange(3900))
    day = published - timedelta(days=rng.randrange(0, 3))
    weekday = WEEKDAYS[day.weekday()]
    pa, ta = _person(gaz, rng, a, published)
    pb, tb = _person(gaz, rng, b, published)
    da = ca.demonyms[0] if ca.demonyms else ca.name
    db = cb.demonyms[0] if cb.demonyms else cb.name
    topic, detail = rng.choice(TOPICS)
    topic2, _ = rng.choice(TOPICS)
    place = cb.capital or cb.name
    kind = rng.choice(("visit", "call", "signing", "sanction", "protest", "summit"))
    last_a, last_b = pa.split()[-1], pb.split()[-1]
    if kind == "visit":
        headline = f"{ca.name} and {cb.name} agree to deepen {topic}"
        lead = (f"{da} {ta} {pa} arrived in {cb.name} on {weekday} for a two-day official visit and held talks "
                f"with {db} {tb} {pb} in {place}.")
        more = (f"The two leaders issued a joint statement on {topic} and signed a memorandum of understanding on "
                f"{topic2}.")
    elif kind == "call":
        headline = f"{last_a}, {last_b} discuss {topic} by phone"
        lead = f"{da} {ta} {pa} spoke by telephone with {db} {tb} {pb} on {weekday}, discussing {topic}."
        more = f"The two sides agreed to strengthen cooperation on {detail}, {last_a}'s office said."
    elif kind == "signing":
        headline = f"{ca.name}, {cb.name} sign {rng.choice(('three', 'four', 'five'))} agreements"
        lead = (f"{ca.name} and {cb.name} signed agreements on {topic} and {topic2} in {place} on {weekday}, "
                f"with {ta} {pa} and {tb} {pb} looking on.")
        more = f"The agreements include cooperation on {detail} and {topic2}."
    elif kind == "sanction":
        headline = f"{ca.name} imposes sanctions on {cb.name} officials"
        lead = (f"The government of {ca.name} on {weekday} imposed sanctions on {db} officials, including "
                f"{tb} {pb}, over {detail}.")
        more = f"{last_a} said the measures would stay in place until {cb.name} changed course."
    elif kind == "protest":
        headline = f"{ca.name} summons {db} ambassador in protest"
        lead = (f"{ca.name} summoned the {db} ambassador on {weekday} to protest against remarks by {tb} {pb} "
                f"about {topic}.")
        more = f"{da} {ta} {pa} called the remarks unacceptable."
    else:
        headline = f"Leaders of {ca.name} and {cb.name} meet at summit in {place}"
        lead = f"{da} {ta} {pa} and {db} {tb} {pb} met on {weekday} at a summit in {place} focused on {topic}."
        more = f"The talks covered {detail} and {topic2}, officials said."
    quote = (f'"We have agreed to work together on {topic} and {detail}," {last_a} said after the meeting. '
             f'"This is an important step for our two countries."')
    earlier = published.year - rng.randrange(3, 12)
    background = (f"The two countries signed a framework agreement on {topic2} in {earlier}, "
                  f"and {last_b} last visited {ca.name} {rng.randrange(2, 9)} years ago.")
    future = f"{last_b} is expected to visit {ca.capital or ca.name} next year to review progress on {detail}."
    body = [lead, more, quote, background, future]
    fmt = rng.choice(("seed", "plain", "markdown"))
    outlet = rng.choice(OUTLETS)
    city = (ca.capital or ca.name).upper()
    if fmt == "seed":
        text = (f"date {published.isoformat()} {outlet.replace(' ', '')}.com\n\n{headline}\n\n"
                f"{rng.choice(AUTHORS)} Published {published.strftime('%B %d, %Y')} | 0{rng.randrange(1, 10)}:"
                f"{rng.randrange(10, 60)} AM\n\n{headline}\n\n{city} ({outlet} / {rng.choice(AGENCIES)} - "
                f"{published.day}th {published.strftime('%B')}, {published.year}) " + "\n\n".join(body) + "\n")
        name = f"{n:06d}.txt"
    elif fmt == "plain":
        text = (f"{headline}\n\n{outlet} — {published.strftime('%A %d %B %Y')}\n\n{city} — " + "\n\n".join(body) + "\n")
        name = f"{n:06d}.txt"
    else:
        text = (f"# {headline}\n\n**{published.day} {published.strftime('%B %Y')}** · *{outlet}*\n\n"
                + "\n\n".join(body[:3]) + "\n\n## Background\n\n" + "\n\n".join(body[3:]) + "\n")
        name = f"{n:06d}.md"
    return name, text


def generate(directory: Path, count: int, seed: int = 7) -> list[Path]:
    gaz = gz.load()
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        name, text = article(gaz, rng, n)
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", "--articles", type=int, default=10_000)
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: CPU count)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--keep", type=Path, help="keep the store in this directory (must not exist)")
    p.add_argument("--store", help="ingest into this SPARQL 1.1 store instead (its URL; credentials from "
                   "KG_STORE_USER/KG_STORE_PASSWORD); it should be empty")
    p.add_argument("--http", action="store_true", help="then send the same articles to a kg serve of a new store "
                                                        "(POST /articles/batch, as kg ingest --server does)")
    args = p.parse_args(argv)

    from kg.iris import Minter
    from kg.pipeline import Ingester
    from kg.store import Store

    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    t0 = time.perf_counter()
    paths = generate(scratch / "articles", args.articles, args.seed)
    gen_s = time.perf_counter() - t0
    store_dir = args.keep or scratch / "store"
    if args.store:
        from kg.remote import RemoteStore
        store = RemoteStore(args.store, Minter())
    else:
        store = Store(store_dir, Minter())
    ingester = Ingester(store, scratch / "rejected", args.workers)
    summary = ingester.run(paths)
    own, children = _rss_mb()
    n = len(summary.outcomes)
    t = summary.timings
    cpu = t.parse + t.extract + t.build + t.validate
    print(f"articles          {n} ({summary.count('added')} stored, {summary.count('rejected')} rejected, "
          f"{summary.count('unchanged')} duplicates), generated in {gen_s:.1f} s")
    print(f"store             {args.store.partition('#')[0] if args.store else 'embedded'}")
    print(f"workers           {ingester.workers}")
    print(f"wall time         {summary.seconds:.2f} s")
    print(f"articles/s        {n / summary.seconds:.0f}")
    print(f"triples/s         {summary.triples / summary.seconds:.0f} ({summary.triples} triples, "
          f"{summary.triples / max(1, summary.count('added')):.0f} per article)")
    print(f"peak RSS          {own:.0f} MB (parent), {children:.0f} MB (largest worker)")
    print("time split        (worker CPU seconds summed over workers; store is the parent's)")
    for name in ("parse", "extract", "build", "validate"):
        v = getattr(t, name)
        print(f"  {name:<15} {v:8.2f} s  {1000 * v / max(1, n):6.2f} ms/article  "
              f"{100 * v / max(cpu, 1e-9):5.1f}% of worker CPU")
    print(f"  {'store':<15} {t.store:8.2f} s  {1000 * t.store / max(1, n):6.2f} ms/article")
    if summary.count("rejected"):
        first = next(o for o in summary.outcomes if o.status == "rejected")
        print(f"first rejection: {first.path}\n{first.message}", file=sys.stderr)
    if args.http:
        http = _over_http(paths, scratch / "served")
        print(f"over HTTP         {http:.0f} articles/s ({100 * http / (n / summary.seconds):.0f}% of the CLI's), "
              "kg ingest --server into a kg serve of a new store")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _over_http(paths: list[Path], store_dir: Path) -> float:
    """Articles/s of kg ingest --server into a kg serve of a new store (server start-up not counted)."""
    import os
    import socket
    import subprocess
    import urllib.request

    from kg.client import send
    from kg.config import Settings
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "KG_API_TOKEN": "bench"}
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--create", "--store", str(store_dir),
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        send(url, paths[:1], None, Settings(api_token="bench"), None, None)     # extractors started
        summary = send(url, paths, None, Settings(api_token="bench"), None, None)
        return len(summary.outcomes) / summary.seconds
    finally:
        server.terminate()
        server.wait(60)


if __name__ == "__main__":
    sys.exit(main())
