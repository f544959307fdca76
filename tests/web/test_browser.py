"""A real headless browser (Debian chromium + chromedriver, installed by `make setup`)
on the live server: open the home page, search a document number, follow it to a
project, and run a query from the query page; reach an issuer's directives from the
home page and see a lineage diagram drawn; the endpoint and the named queries as
pages: a named query's parameters, IRIs as labelled links, large results paged."""
from __future__ import annotations

import shutil
import tempfile

import pytest

from kg import iris

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                                 reason="chromium and chromedriver come from `make setup`")]


@pytest.fixture(scope="module")
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium")
    profile = tempfile.mkdtemp()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=opts, service=service)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_search_a_number_follow_it_to_a_project_and_run_a_query(live, browser, tmp_path):
    wait = WebDriverWait(browser, 20)
    browser.get(live.url + "/")
    # 27 + 28 + 31 + 39 tables in data/
    assert "125" in browser.find_element(By.TAG_NAME, "table").text
    box = browser.find_element(By.ID, "q")
    box.send_keys("保财社【2025】87号")  # as 002 prints it
    box.submit()
    wait.until(EC.element_to_be_clickable((By.PARTIAL_LINK_TEXT, "保财社〔2025〕87号"))).click()
    wait.until(EC.title_contains("87"))
    assert "cited by" in browser.page_source
    project7 = (By.CSS_SELECTOR, 'a[href*="/doc/002_d83939c0e0da9114/project/7"]')
    wait.until(EC.element_to_be_clickable(project7)).click()
    wait.until(EC.title_contains("2026年省级就业补助资金"))
    assert "城镇新增就业人数" in browser.page_source
    browser.save_screenshot(str(tmp_path / "project.png"))

    browser.get(live.url + "/query")
    Select(wait.until(EC.presence_of_element_located((By.ID, "examples")))).select_by_index(2)
    assert "SELECT" in browser.find_element(By.ID, "query").get_attribute("value")
    browser.find_element(By.ID, "run").click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "rows"))
    assert browser.find_elements(By.CSS_SELECTOR, "table tr")


def test_from_home_to_an_issuer_to_a_directive_diagram(live, browser, tmp_path):
    wait = WebDriverWait(browser, 20)
    browser.get(live.url + "/")
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "发文机关 issuers"))).click()
    wait.until(EC.title_contains("issuers"))
    codes = browser.find_elements(By.CSS_SELECTOR, "#issuers tr td:first-child a")
    assert len(codes) == 13  # the codes printed in the four samples
    # 保定市财政局, every division
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "保财"))).click()
    wait.until(EC.title_contains("保财"))
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "保财社〔2025〕87号"))).click()
    wait.until(EC.title_contains("87"))
    svg = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "svg.lineage")))
    assert svg.size["width"] > 100 and svg.size["height"] > 50
    nodes = browser.find_elements(By.CSS_SELECTOR, "svg.lineage a.project")
    assert len(nodes) == 2 and all(n.is_displayed() for n in nodes)  # data/002 projects 7 and 9
    browser.save_screenshot(str(tmp_path / "directive.png"))


def test_sparql_and_queries_are_pages_with_parameters_links_and_paging(live, browser):
    wait = WebDriverWait(browser, 20)
    browser.get(live.url + "/sparql")  # what a browser gets at the endpoint: the query form
    assert wait.until(EC.presence_of_element_located((By.ID, "query"))).tag_name == "textarea"
    browser.get(live.url + "/queries/")
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "indicators"))).click()
    box = wait.until(EC.presence_of_element_located((By.ID, "param-document")))
    box.send_keys(iris.document("000_ebdfb260618a708a"))
    browser.find_element(By.ID, "run").click()
    # the project IRI is shown by its name (data/000 line 54), a link to its page
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "2026年统计调查资金"))).click()
    wait.until(EC.title_contains("2026年统计调查资金"))

    browser.get(live.url + "/query")
    browser.find_element(By.ID, "query").send_keys("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    browser.find_element(By.ID, "run").click()
    rows = wait.until(EC.presence_of_all_elements_located((By.CSS_SELECTOR, "#results tr")))
    assert len(rows) == 101  # a header and one page of rows, not 40,000
    browser.find_element(By.ID, "next").click()
    wait.until(EC.text_to_be_present_in_element((By.CLASS_NAME, "pager"), "101–200"))


def test_chinese_renders_as_text_not_boxes(live, browser):
    """With no CJK font, every Chinese character is drawn as the same empty box:
    two different characters drawn alike mean the page is unreadable."""
    browser.get(live.url + "/")
    script = """
        const font = getComputedStyle(document.body).fontFamily;
        const draw = (ch) => {
            const c = document.createElement('canvas'); c.width = 64; c.height = 64;
            const g = c.getContext('2d'); g.font = '48px ' + font; g.fillStyle = '#000';
            g.fillText(ch, 4, 52); return Array.from(g.getImageData(0, 0, 64, 64).data).join();
        };
        return [draw('保'), draw('财'), draw('社'), draw('')];"""
    bao, cai, she, blank = browser.execute_script(script)
    assert len({bao, cai, she}) == 3, "Chinese characters are drawn as identical boxes"
    assert blank not in (bao, cai, she)
