#!/usr/bin/env python3
"""Times the workspace's pages against a running server: a county officer's household pages and
searches (by ID number and by the beginning of a name), one request at a time. Usage:
bench-pages.py BASE_URL POPULATION_DIR REQUESTS"""
import csv, json, random, sys, time, urllib.request

base, pop, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for _ in range(600):
    try:
        urllib.request.urlopen(base + "/health", timeout=2)
        break
    except Exception:
        time.sleep(0.2)
req = urllib.request.Request(base + "/api/v1/auth/login", data=json.dumps({"username": "bench", "password": "a-long-benchmark-password"}).encode(),
                             headers={"Content-Type": "application/json"})
token = json.load(urllib.request.urlopen(req))["token"]
me = json.load(urllib.request.urlopen(urllib.request.Request(base + "/api/v1/auth/me", headers={"Authorization": "Bearer " + token})))
county = me["division_code"]
households, members = [], []
with open(f"{pop}/households.csv", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        if row["division_code"].startswith(county):
            households.append(row["household_id"])
inside = set(households)
with open(f"{pop}/members.csv", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        if row["household_id"] in inside:
            members.append((row["id_number"], row["name"]))
random.seed(1)
cookie = {"Cookie": "jiuzhu_session=" + token}


def timed(path):
    t = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(base + path, headers=cookie)) as r:
        r.read()
        assert r.status == 200, path
    return (time.perf_counter() - t) * 1000


def report(label, times):
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{label}: {len(times)} requests, p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, max {times[-1]:.1f} ms")


print(f"user: county officer of {county} ({len(households)} households in scope)")
for _ in range(20):
    timed("/households/" + urllib.parse.quote(random.choice(households)))  # warm up
report("household page /households/{id}", [timed("/households/" + urllib.parse.quote(random.choice(households))) for _ in range(n)])
report("search by ID number /households?q=", [timed("/households?q=" + random.choice(members)[0]) for _ in range(n)])
report("search by name (surname and first given character)",
       [timed("/households?q=" + urllib.parse.quote(random.choice(members)[1][:2])) for _ in range(n)])
report("search by surname only (the widest)", [timed("/households?q=" + urllib.parse.quote(random.choice(members)[1][:1])) for _ in range(n // 3)])
