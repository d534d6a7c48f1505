"""Screenshots of the static site for README (`make screenshots`): the
bundled catalog exported with `export --format html` in bokmål, opened in
headless Chromium (Debian's `chromium` and `chromedriver`, as the browser
tests use them), and saved as PNG under docs/.

Usage: python scripts/screenshots.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "catalog"
SETTINGS = {"TILFLYTTING_LANG": "nb", "TILFLYTTING_TODAY": "2026-06-01"}
HOLTALEN = "oppforing/tilflyttingstiltak-i-holtalen.html"
# (file, page with its query, width and height of the view in CSS pixels,
# the element scrolled to the top or None)
SHOTS = [
    ("site-index.png", "index.html?q=nederland", 1024, 760, None),
    ("site-entry.png", HOLTALEN, 1024, 1100, None),
    ("site-phone.png", HOLTALEN, 375, 740, "h2"),
]


def export(folder: Path) -> Path:
    """The bundled catalog as a site in `folder`/site."""
    command = [sys.executable, "-m", "tilflytting"]
    env = {**os.environ, **SETTINGS}
    db = folder / "catalog.db"
    site = folder / "site"
    for args in (["import", str(CATALOG)], ["export", "--format", "html", "--out", str(site)]):
        subprocess.run([*command, *args, "--db", str(db)], env=env, check=True, capture_output=True)
    return site


def browser() -> Any:
    from selenium import webdriver

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        sys.exit("screenshots need Debian's chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(driver))


def view(driver: Any, width: int, height: int) -> None:
    """A view of `width` CSS pixels, as a phone has (a headless window is
    never narrower than 500)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        site = export(Path(temporary))
        driver = browser()
        try:
            for name, page, width, height, top in SHOTS:
                view(driver, width, height)
                driver.get(site.as_uri() + "/" + page)
                if top:
                    driver.execute_script(f"document.querySelector('{top}').scrollIntoView()")
                driver.save_screenshot(str(args.out / name))
                print(args.out / name)
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
