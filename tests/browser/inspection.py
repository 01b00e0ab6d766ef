"""Open a page in Chromium the way a visitor would, at each screen width, and note what goes wrong.

One `PageReport` per page holds everything the tests assert on, so each page is loaded once per
width however many checks look at it.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

NODE_MODULES = settings.BASE_DIR / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
WIDTHS = (320, 768, 1280)
KEYBOARD_WIDTHS = (320, 1280)  # the narrow and the wide layout; 768 shares the narrow one's header
VIEWPORT_HEIGHT = 900
# axe-core's rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2 adds no level-A rule to axe).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

PAGE_CHECKS = Path(__file__).with_name("page_checks.js")


@dataclass
class PageReport:
    url: str
    status: int | None = None
    lang: str | None = None  # <html lang>
    console_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)
    csp_violations: list = field(default_factory=list)
    scroll_widths: dict = field(default_factory=dict)  # viewport width -> document width
    axe_violations: dict = field(default_factory=dict)  # viewport width -> ["rule: what, where", ...]
    skip_link: dict = field(default_factory=dict)  # viewport width -> a sentence on what went wrong, or ""
    unfocusable: dict = field(default_factory=dict)  # viewport width -> elements without a visible focus
    focus_stops: dict = field(default_factory=dict)  # viewport width -> how many elements Tab reached
    screenshots: list = field(default_factory=list)


def inspect_page(browser, visit, url, screenshot_dir):
    report = PageReport(url=url)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": VIEWPORT_HEIGHT})
        context.add_init_script(path=PAGE_CHECKS)
        page = context.new_page()
        _listen_for_trouble(page, report, visit, url, origin)
        response = page.goto(url, wait_until="load")
        report.status = response.status
        report.lang = page.evaluate("document.documentElement.lang")
        page.evaluate("browserChecks.loadLazyImages()")
        report.scroll_widths[width] = page.evaluate("document.documentElement.scrollWidth")
        report.axe_violations[width] = _axe_violations(page)
        screenshot = Path(screenshot_dir) / f"{visit.name}-{width}.png"
        page.screenshot(path=screenshot, full_page=True)
        report.screenshots.append(screenshot)
        if width in KEYBOARD_WIDTHS:
            stops, report.unfocusable[width], report.skip_link[width] = _walk_with_the_keyboard(page)
            report.focus_stops[width] = stops
        report.csp_violations += page.evaluate("browserChecks.cspViolations()")
        context.close()
    return report


def _listen_for_trouble(page, report, visit, url, origin):
    def on_console(message):
        if message.type != "error":
            return
        if message.location.get("url") == url and f"status of {visit.status}" in message.text:
            return  # the browser's own note of the status we asked for, such as the 404 page's
        report.console_errors.append(message.text)

    def on_response(response):
        expected = visit.status if response.url == url else 200
        if response.status >= 400 and response.status != expected:
            report.failed_requests.append(f"{response.status} {response.url}")

    def on_request(request):
        if not request.url.startswith((origin + "/", "data:")):
            report.failed_requests.append(f"request to another origin: {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: report.console_errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: report.failed_requests.append(f"{request.failure} {request.url}"))
    page.on("response", on_response)
    page.on("request", on_request)


def _axe_violations(page):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's script policy does not block it.
        page.evaluate(AXE_SCRIPT.read_text())
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}, at "
        + "; ".join(json.dumps(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
    ]


def _walk_with_the_keyboard(page):
    """Tab through the whole page from the top; then press Enter on the skip link.

    Returns how many elements took focus, those among them that did not show it (or were off
    screen), and what went wrong with the skip link ("" when nothing did).
    """
    page.evaluate("browserChecks.recordUnfocusedStyles()")
    without_focus = []
    skip_link = None
    stops = 0
    for step in range(400):
        page.keyboard.press("Tab")
        focus = page.evaluate("browserChecks.describeFocus()")
        if focus is None or focus["seen"]:
            break
        stops += 1
        if step == 0:
            skip_link = page.evaluate("browserChecks.skipLinkTarget()")
        if not (focus["shown"] and focus["onScreen"]):
            problem = "no visible focus indicator" if not focus["shown"] else "focused off screen"
            without_focus.append(f"{focus['element']}: {problem}")
    return stops, without_focus, _check_skip_link(page, skip_link)


def _check_skip_link(page, skip_link):
    if not skip_link or not skip_link.get("link"):
        return "the first Tab stop is not a link"
    if not skip_link["reachesMain"]:
        return f"the first Tab stop ({skip_link['link']} '{skip_link['text']}') does not lead to <main>"
    page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.locator(f"a[href='{skip_link['link']}']").first.focus()
    page.keyboard.press("Enter")
    if not page.evaluate("browserChecks.focusIsInMain()"):
        return "Enter on the skip link leaves focus outside <main>"
    return ""
