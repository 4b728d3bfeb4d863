"""Browser tests of a release's site/, opened from disk in headless Chromium (Selenium).

Usage: check_site.py RELEASE_DIR AXE_JS SCREENSHOT_DIR [PAGED_RELEASE_DIR]

Drives the Debian packages /usr/bin/chromium and /usr/bin/chromedriver (given explicitly, so
Selenium never looks for or downloads a driver), with a fresh profile and no background
networking. Checks: search by an author's name lists the record; its page shows the title,
the printings and the citation; every record has a page that loads without console errors;
no page requests anything but local files; axe-core finds no serious or critical violations;
screenshots (desktop and phone width) are saved for review. With PAGED_RELEASE_DIR (a release
large enough that its listings are cut into pages): the claims table's navigation leads to its
second page, whose filters work on that page, and the continuation pages of the claims, the
list of all records and an agent's section pass axe-core.
"""

import csv
import json
import pathlib
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

release = pathlib.Path(sys.argv[1]).resolve()
axe_source = pathlib.Path(sys.argv[2]).read_text(encoding="utf-8")
shots = pathlib.Path(sys.argv[3]).resolve()
shots.mkdir(parents=True, exist_ok=True)
site = release / "site"
paged = pathlib.Path(sys.argv[4]).resolve() if len(sys.argv) > 4 else None

failures = []
passed = 0


def check(ok, message):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(message)
        print("FAIL:", message, flush=True)


def make_driver(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-default-apps",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
    ]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def click_settled(wait, selector, attempts=20):
    """Clicks the element once the results stop re-rendering: each typed key redraws the result
    list, so an element found a moment earlier may be gone (stale) by the click."""
    from selenium.common.exceptions import StaleElementReferenceException

    for _ in range(attempts):
        try:
            wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector))).click()
            return
        except StaleElementReferenceException:
            time.sleep(0.25)
    check(False, f"{selector} kept being redrawn; it could not be clicked")


def at_path(driver, suffix):
    """Whether the browser's URL, without its fragment, ends with `suffix`."""
    return driver.current_url.split("#")[0].endswith(suffix)


def on_page(driver, suffix):
    """Whether the browser has opened the page whose path ends with `suffix` and loaded it."""
    return at_path(driver, suffix) and driver.execute_script("return document.readyState") == "complete"


def follow(driver, link, suffix, attempts=4):
    """Clicks `link` (a CSS selector or an element) and waits until the page it opens, whose path
    ends with `suffix`, has loaded. A click returns before the navigation it starts, and the
    page it leaves may have an h1 too (the index has): reading the page before it has changed
    is what failed once in CI. A click can also be lost, when the result list is redrawn
    between the press and the release of the button: it is tried again. If the page never
    opens, this fails with a screenshot of where the browser is instead."""
    from selenium.common.exceptions import TimeoutException

    for _ in range(attempts):
        if not at_path(driver, suffix):
            if isinstance(link, str):
                click_settled(WebDriverWait(driver, 20), link)
            else:
                link.click()
        try:
            WebDriverWait(driver, 10).until(lambda d: on_page(d, suffix))
            return
        except TimeoutException:
            continue
    driver.save_screenshot(str(shots / "navigation-failed.png"))
    check(False, f"following {link!r} did not open *{suffix}; the browser is at {driver.current_url}")
    raise SystemExit(f"cannot go on: {len(failures)} failure(s) so far")


def url(rel):
    return (site / rel).as_uri()


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def foreign_requests(driver):
    entries = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return [e for e in entries if not e.startswith("file://") and not e.startswith("data:")]


def run_axe(driver, name):
    driver.execute_script(axe_source)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations'], preload: false}).then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"
    )
    driver.get_log("browser")  # what axe itself logged is not the page's
    bad = [v for v in result if v.get("impact") in ("serious", "critical")]
    for v in bad:
        targets = [n.get("target") for n in v.get("nodes", [])][:3]
        print(f"axe {name}: {v['impact']} {v['id']}: {v.get('help')} {targets}", flush=True)
    check(not bad, f"axe: {len(bad)} serious/critical violation(s) on {name}")


def shot(driver, name, width=1280, full=True):
    driver.set_window_size(width, 1000)
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    check(overflow <= 0, f"{name}: the page is {overflow}px wider than a {width}px window")
    if full:
        driver.execute_script("window.scrollTo(0, 0)")
        height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
        driver.set_window_size(width, max(height, 600))
    driver.save_screenshot(str(shots / f"{name}.png"))
    driver.set_window_size(1280, 1000)


ids = []
with open(release / "data" / "records.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        ids.append(row["id"])

# The author to look for, and their record, from the data (a record by Thomas Goltz if any).
author, expected = None, None
with open(release / "data" / "records.jsonl", encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        if "Thomas Goltz" in r.get("authors", []):
            author, expected = "Thomas Goltz", r
            break
check(expected is not None, "no record by Thomas Goltz in the release")

start = time.time()
with tempfile.TemporaryDirectory() as profile:
    driver = make_driver(profile)
    try:
        wait = WebDriverWait(driver, 20)

        # 1. Search from index.html, opened from disk.
        driver.get(url("index.html"))
        box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "input[type=search]#q")))
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results li"))
        check(
            not driver.find_elements(By.CSS_SELECTOR, ".facets input[disabled]"),
            "facets stay disabled after the index loaded",
        )
        shot(driver, "index-desktop", full=False)
        shot(driver, "index-phone", width=390, full=False)
        box.send_keys(author)
        title = expected.get("title") or ""
        link_sel = f"#results a[href='records/{expected['id']}.html']"
        try:
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, link_sel)))
            listed = True
        except Exception:
            listed = False
        check(listed, f"searching {author!r} does not list {expected['id']}")
        wait.until(lambda d: "match" in d.find_element(By.ID, "count").text)
        count = driver.find_element(By.ID, "count").text
        check("match" in count, f"the result count does not say what matched: {count!r}")
        shot(driver, "search-goltz", full=False)

        # A word of a text, a facet, and the counts it changes.
        box.clear()
        box.send_keys("Khojaly")
        wait.until(lambda d: "match" in d.find_element(By.ID, "count").text)
        before = driver.find_element(By.ID, "count").text
        facet = driver.find_element(By.CSS_SELECTOR, "fieldset[data-facet=kind] input")
        facet.send_keys(Keys.SPACE)  # keyboard, as a person without a mouse would
        wait.until(lambda d: d.find_element(By.ID, "count").text != before)
        check("filter" in driver.find_element(By.ID, "count").text, "a facet does not filter")
        facet.send_keys(Keys.SPACE)
        errors = console_errors(driver)
        check(not errors, f"console errors on index.html: {errors}")
        run_axe(driver, "index.html")

        # 2. Open the record from the results.
        box.clear()
        box.send_keys(author)
        follow(driver, link_sel, f"/records/{expected['id']}.html")
        h1 = driver.find_element(By.TAG_NAME, "h1").text
        check(title and h1 == title, f"record page title {h1!r} is not {title!r}")
        printings = driver.find_elements(By.CSS_SELECTOR, "section.printing")
        check(
            len(printings) == len(expected["appearances"]),
            f"{len(printings)} printings shown, {len(expected['appearances'])} recorded",
        )
        first = expected["appearances"][0]
        line_link = driver.find_element(
            By.CSS_SELECTOR,
            f"a[href='../transcriptions/{first['compilation']}.html#L{first['lines'][0]}']",
        )
        check(line_link is not None, "no link to the transcription lines")
        cite = driver.find_element(By.ID, "cite-text").text
        check(expected["id"] in cite and "Khojaly Documentary Corpus" in cite, f"citation: {cite!r}")
        bib = driver.find_element(By.ID, "bibtex").text
        check(bib.startswith("@") and expected["id"] in bib, f"BibTeX: {bib[:40]!r}")
        copy = driver.find_element(By.CSS_SELECTOR, "button[data-copy=bibtex]")
        check(copy.is_displayed(), "the Copy BibTeX button is hidden")
        copy.click()
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".copied").text != "")
        for ext in ("json", "ris"):
            link = driver.find_elements(By.CSS_SELECTOR, f"a[download='{expected['id']}.{ext}']")
            check(bool(link), f"no {ext} download link")
        csl = json.loads((site / "cite" / f"{expected['id']}.json").read_text(encoding="utf-8"))
        check(
            csl[0].get("type") and csl[0].get("title") and expected["id"] in json.dumps(csl[0]),
            "CSL-JSON names the document and the record",
        )
        errors = console_errors(driver)
        check(not errors, f"console errors on the record page: {errors}")
        run_axe(driver, f"records/{expected['id']}.html")
        shot(driver, "record-goltz")
        shot(driver, "record-goltz-phone", width=390, full=False)

        # 3. The transcription at the line, the claims page, the about page.
        line_link = driver.find_element(
            By.CSS_SELECTOR,
            f"a[href='../transcriptions/{first['compilation']}.html#L{first['lines'][0]}']",
        )
        follow(driver, line_link, f"/transcriptions/{first['compilation']}.html")
        wait.until(EC.presence_of_element_located((By.ID, f"L{first['lines'][0]}")))
        check(
            driver.execute_script("return location.hash") == f"#L{first['lines'][0]}",
            "the transcription does not open at the line",
        )
        back = driver.find_elements(By.CSS_SELECTOR, f".spanstart a[href^='../records/{expected['id']}.html']")
        check(bool(back), "the span does not link back to the record")
        shot(driver, "transcription-at-line", full=False)
        run_axe(driver, "transcription")

        driver.get(url("claims.html"))
        rows = driver.find_elements(By.CSS_SELECTOR, "#claims tbody tr")
        check(len(rows) > 0, "the claims table is empty")
        img_ok = driver.execute_script(
            "const i = document.querySelector('figure img'); return i && i.complete && i.naturalWidth > 0"
        )
        check(img_ok, "the chart does not load on the claims page")
        select = driver.find_element(By.ID, "f-quantity")
        select.send_keys("killed")
        visible = driver.execute_script(
            "return [...document.querySelectorAll('#claims tbody tr')].filter(r => !r.hidden).length"
        )
        check(0 < visible <= len(rows), f"claims filter shows {visible} of {len(rows)}")
        errors = console_errors(driver)
        check(not errors, f"console errors on claims.html: {errors}")
        run_axe(driver, "claims.html")
        shot(driver, "claims", full=False)

        # The claims page names who states each figure and links to their page: a witness of a
        # testimony, not the outlet that printed it.
        driver.get(url("claims.html"))  # unfiltered
        witness_link = driver.find_element(By.CSS_SELECTOR, "#claims a[href='agents/hijran-alekpera.html']")
        follow(driver, witness_link, "/agents/hijran-alekpera.html")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Hijran Alekpera", "the agent page is not the witness's")
        agent_main = driver.find_element(By.TAG_NAME, "main").text
        check("maybe one hundred" in agent_main, "the witness's page lacks the figure she states")
        check("private person" in agent_main.lower(), "the witness's page does not say she is a private person")
        errors = console_errors(driver)
        check(not errors, f"console errors on the agent page: {errors}")
        run_axe(driver, "agents/hijran-alekpera.html")
        shot(driver, "agent-witness", full=False)
        driver.get(url("agents/index.html"))
        check(len(driver.find_elements(By.CSS_SELECTOR, "main li a")) > 100, "the agents index lists too few agents")
        run_axe(driver, "agents/index.html")

        # A testimony's page carries a content note; an untitled record is listed by a label
        # marked as not a title.
        driver.get(url("records/testimony-undated-human-rights-watch-hijran-alekpera.html"))
        notes = driver.find_elements(By.CSS_SELECTOR, ".content-note")
        check(bool(notes) and "violence" in notes[0].text, "the testimony page lacks its content note")
        driver.get(url("records/index.html"))
        listing = driver.find_element(By.TAG_NAME, "main").text
        check("[no printed title] Hijran Alekpera" in listing, "untitled records are not listed by a label")
        check("[untitled]" not in listing, "a record is still listed as [untitled]")

        driver.get(url("about.html"))
        about = driver.find_element(By.TAG_NAME, "main").text
        check("does not assess" in about, "the About page lacks the neutrality statement")
        check("Licence" in about, "the About page lacks the licence")
        run_axe(driver, "about.html")
        shot(driver, "about", full=False)

        driver.get(url("records/index.html"))
        run_axe(driver, "records/index.html")

        # 4. Every record has a page with a title and printings, without console errors.
        for rid in ids:
            page = site / "records" / f"{rid}.html"
            if not page.exists():
                check(False, f"no page for record {rid}")
                continue
            driver.get(page.as_uri())
            ok = driver.execute_script(
                "return !!document.querySelector('h1') && document.querySelectorAll('section.printing').length > 0 && !!document.getElementById('cite-text')"
            )
            check(ok, f"records/{rid}.html lacks its title, printings or citation")
            errors = console_errors(driver)
            check(not errors, f"console errors on records/{rid}.html: {errors}")
            foreign = foreign_requests(driver)
            check(not foreign, f"records/{rid}.html requests {foreign}")
        for rel in ["index.html", "claims.html", "about.html"]:
            driver.get(url(rel))
            foreign = foreign_requests(driver)
            check(not foreign, f"{rel} requests {foreign}")

        # 5. Long listings continue on numbered pages.
        if paged is not None:
            paged_site = paged / "site"
            driver.get((paged_site / "claims.html").as_uri())
            check(len(driver.find_elements(By.CSS_SELECTOR, "nav.pager")) == 1, "the long claims table has no page navigation")
            follow(driver, "nav.pager a[rel=next]", "/claims-2.html")
            rows = driver.find_elements(By.CSS_SELECTOR, "#claims tbody tr")
            check(len(rows) > 0, "the second page of claims is empty")
            driver.find_element(By.ID, "f-quantity").send_keys("killed")
            status = driver.find_element(By.ID, "claim-count").text
            check(status.endswith(f" of {len(rows)} claims."), f"the filter of a claims page counts {status!r}, not that page's rows")
            errors = console_errors(driver)
            check(not errors, f"console errors on claims-2.html: {errors}")
            run_axe(driver, "claims-2.html")
            shot(driver, "claims-page-2", full=False)
            driver.get((paged_site / "records" / "index-2.html").as_uri())
            run_axe(driver, "records/index-2.html")
            shot(driver, "records-page-2", full=False)
            continued = sorted((paged_site / "agents").glob("*.*-2.html"))
            check(bool(continued), "no agent's section continues on a second page")
            if continued:
                driver.get(continued[0].as_uri())
                run_axe(driver, f"agents/{continued[0].name}")
                shot(driver, "agent-section-page-2", full=False)

    finally:
        driver.quit()

print(f"browser checks: {time.time() - start:.0f}s; screenshots in {shots}")
print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
