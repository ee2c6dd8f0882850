#!/usr/bin/env python3
"""The browser walk of the caseworker's workspace, in a real headless Chromium (Debian's), driven by
Selenium: sign in, register a household, receive an application and see its assessment, print the
one-time notice, import a department feed through the form and find the household on the worklist. Screenshots of each page go to the folder named below, at 1366×768.

Usage: scripts/browser-test.py [path to the jiuzhu binary]   (default: the debug build)
Prints one line per check and ends with 'browser: N passed, N failed'; exits 1 if any failed.
"""
import os, re, socket, subprocess, sys, tempfile, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "jiuzhu")
SHOTS = os.path.join(ROOT, ".build", "screenshots", "browser-walk")
passed, failed = 0, 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"✔ {name}")
    else:
        failed += 1
        print(f"✘ {name} {detail}")


def id_number(prefix17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * w for c, w in zip(prefix17, weights))
    return prefix17 + "10X98765432"[s % 11]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(driver, text, seconds=20):
    """Waits until the page shows `text` (after a form post the new page may still be loading)."""
    try:
        WebDriverWait(driver, seconds).until(lambda d: text in d.page_source)
        return True
    except Exception:
        return False


def layout_ok(driver, name):
    """Chinese renders in a CJK font, and nothing spills sideways at 1366×768."""
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(f"{name}: fits 1366 px wide (scrollWidth {width})", width <= 1366)
    cjk = driver.execute_script("return document.fonts.check('16px \"Noto Sans CJK SC\"', '社会救助')")
    check(f"{name}: Chinese has a CJK font", bool(cjk))
    overlap = driver.execute_script("""
        const els = [...document.querySelectorAll('main h2, main h3, main table, main form, main p')].filter(e => e.offsetParent);
        for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
          const a = els[i].getBoundingClientRect(), b = els[j].getBoundingClientRect();
          if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
          if (a.left < b.right && b.left < a.right && a.top < b.bottom - 1 && b.top < a.bottom - 1) return els[i].tagName + '/' + els[j].tagName;
        }
        return '';""")
    check(f"{name}: no blocks overlap", overlap == "", overlap)
    os.makedirs(SHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))


def main():
    work = tempfile.mkdtemp(prefix="jiuzhu-browser-")
    port = free_port()
    server = subprocess.Popen([BIN, "serve", "--port", str(port), "--database", os.path.join(work, "walk.sqlite")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        opts = Options()
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768", "--lang=zh-CN", "--disable-dev-shm-usage"]:
            opts.add_argument(a)
        opts.binary_location = "/usr/bin/chromium"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        driver.set_page_load_timeout(60)
        try:
            driver.get(base + "/")
            check("not signed in: sent to the sign-in form", driver.current_url.endswith("/login"))
            driver.find_element(By.NAME, "username").send_keys("admin")
            driver.find_element(By.NAME, "password").send_keys("wrong-password")
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            check("a wrong password is refused in Chinese, the username kept",
                  wait_for(driver, "用户名或密码不正确") and driver.find_element(By.NAME, "username").get_attribute("value") == "admin")
            layout_ok(driver, "sign-in")
            driver.find_element(By.NAME, "password").send_keys("jiuzhu-demo")
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            check("signed in: the workbench", wait_for(driver, "我的待办") and "家庭登记" in driver.page_source)
            layout_ok(driver, "workbench")

            driver.get(base + "/households/new")
            driver.find_element(By.NAME, "household_id").send_keys("BT-0001")
            division = driver.find_element(By.NAME, "division_code")
            division.clear()
            division.send_keys("12345")
            driver.find_element(By.NAME, "m0_name").send_keys("张三")
            driver.find_element(By.NAME, "m0_id_number").send_keys(id_number("53042819700101001"))
            driver.find_element(By.ID, "register").click()
            check("a wrong field is marked in Chinese and what was typed is kept",
                  wait_for(driver, "区划代码应为6、9或12位数字") and driver.find_element(By.NAME, "m0_name").get_attribute("value") == "张三")
            layout_ok(driver, "household-new")
            division = driver.find_element(By.NAME, "division_code")
            division.clear()
            division.send_keys("530428101")
            driver.find_element(By.NAME, "m0_income").send_keys("200")
            driver.find_element(By.NAME, "m1_name").send_keys("李四")
            driver.find_element(By.NAME, "m1_id_number").send_keys(id_number("53042819720202002"))
            Select(driver.find_element(By.NAME, "m1_relation")).select_by_value("spouse")
            Select(driver.find_element(By.NAME, "m1_disability_kind")).select_by_value("physical")
            Select(driver.find_element(By.NAME, "m1_disability_grade")).select_by_value("2")
            driver.find_element(By.ID, "register").click()
            check("the household is registered, with the spouse's disability", wait_for(driver, "家庭 BT-0001") and "张三" in driver.page_source
                  and "肢体2级" in driver.page_source)
            layout_ok(driver, "household-file")
            driver.get(base + "/households/BT-0001/circumstances")
            driver.find_element(By.NAME, "m0_income_basic_pension").send_keys("150")
            layout_ok(driver, "circumstances")
            driver.find_element(By.ID, "save-circumstances").click()
            check("circumstances recorded from the month", wait_for(driver, "家庭 BT-0001 ·"))

            driver.get(base + "/intake?household_id=BT-0001")
            Select(driver.find_element(By.NAME, "programme")).select_by_value("dibao")
            driver.find_element(By.ID, "material_application").click()
            driver.find_element(By.ID, "consent").click()
            layout_ok(driver, "intake")
            driver.find_element(By.ID, "submit-application").click()
            wait_for(driver, "综合评估")
            assessment = driver.find_element(By.ID, "assessment").text if "/cases/" in driver.current_url else ""
            check("the application is received and its assessment shown", "结论：" in assessment and "专项救助转介" in assessment, driver.current_url)
            check("the one-time notice lists what is missing", "一次性告知书" in driver.page_source and "承诺书" in driver.page_source)
            layout_ok(driver, "case")
            driver.find_element(By.ID, "act-start_investigation").click()
            check("an action from the case page", wait_for(driver, "调查核实中"))
            number = driver.current_url.rstrip("/").split("/")[-1]
            driver.get(base + f"/cases/{number}/notice")
            check("the printable notice", wait_for(driver, "社会救助申请一次性告知书") and "民政局" in driver.page_source)
            layout_ok(driver, "notice")

            feed = os.path.join(work, "死亡信息.csv")
            with open(feed, "w", encoding="utf-8") as f:
                f.write("id_number,name,date_of_death\n" + id_number("53042819720202002") + ",李四,2025-06-20\n")
            driver.get(base + "/feeds")
            driver.find_element(By.NAME, "department").send_keys("公安")
            driver.find_element(By.NAME, "file").send_keys(feed)
            driver.find_element(By.ID, "import-feed").click()
            check("a department feed imported through the form, and in the history",
                  wait_for(driver, "已导入") and "预警 1 条" in driver.page_source and "<td>死亡信息.csv</td>" in driver.page_source)
            layout_ok(driver, "feeds")
            driver.get(base + "/verification")
            check("the worklist by township names the flagged household and its flag",
                  wait_for(driver, "核对工作清单") and "/households/BT-0001" in driver.page_source and "李四已于 2025-06-20 死亡" in driver.page_source)
            layout_ok(driver, "verification")
            driver.get(base + "/payroll")
            driver.find_element(By.ID, "generate-roll").click()
            check("the month's payment roll generated through its form, with totals by township",
                  wait_for(driver, "请核对后确认") and "confirm-roll" in driver.page_source)
            layout_ok(driver, "payroll")
            driver.get(base + "/monitoring")
            check("the monitoring page: the month's report and the demo push's warnings",
                  wait_for(driver, "监测报告") and "重病医疗费用个人负担较重" in driver.page_source and "反馈至县 " in driver.page_source)
            driver.find_element(By.ID, "id").send_keys("1")
            Select(driver.find_element(By.ID, "step")).select_by_value("visit")
            driver.find_element(By.ID, "record-step").click()
            check("a step out of order refused with its reason", wait_for(driver, "未办理") and "a home visit comes after dispatch to the township" in driver.page_source)
            driver.find_element(By.ID, "id").send_keys("1")
            Select(driver.find_element(By.ID, "step")).select_by_value("send")
            driver.find_element(By.ID, "record-step").click()
            check("a warning sent to the county through the form, its township due day shown", wait_for(driver, "预警 1：已反馈至县") and "下一环节 分发至乡镇" in driver.page_source)
            layout_ok(driver, "monitoring")
            driver.get(base + "/hotline")
            driver.find_element(By.ID, "caller").send_keys("王某")
            driver.find_element(By.ID, "description").send_keys("临时救助怎么申请")
            Select(driver.find_element(By.ID, "kind")).select_by_value("enquiry")
            driver.find_element(By.ID, "receive-call").click()
            check("a 12349 call received through the form, routed with its due day", wait_for(driver, "已受理工单 12349-530428-"))
            number = re.search(r"12349-530428-\d{4}-\d{5}", driver.page_source).group(0)
            driver.find_element(By.ID, "number").send_keys(number)
            driver.find_element(By.ID, "resolution").send_keys("已电话答复")
            driver.find_element(By.ID, "close-ticket").click()
            check("the ticket closed through the form, on time", wait_for(driver, f"工单 {number} 已办结（按时）"))
            layout_ok(driver, "hotline")

            driver.get(base + "/statistics")
            check("statistics with a server-drawn chart", wait_for(driver, "统计") and "<svg" in driver.page_source)
            layout_ok(driver, "statistics")
            driver.get(base + "/policy/530428")
            check("the pack's parameters with 待核定 marks", wait_for(driver, "待核定") and "S_rural" in driver.page_source)
            layout_ok(driver, "policy-pack")
            driver.get(base + "/policy/530428/whatif")
            driver.find_element(By.ID, "set0").send_keys("S_rural=60000")
            driver.find_element(By.ID, "run-whatif").click()
            check("the what-if: households gained and the cost by township, charted", wait_for(driver, "各乡镇每月支出变化") and "<svg" in driver.page_source)
            layout_ok(driver, "policy-whatif")
            driver.get(base + "/admin/users")
            check("user administration", wait_for(driver, "新增用户"))
            layout_ok(driver, "admin-users")
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"screenshots: {SHOTS}")
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
