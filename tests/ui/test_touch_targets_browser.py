"""Every control on a page a participant or a volunteer at the door touches is at least 44×44 CSS
pixels on a 360×740 phone screen: inputs, buttons, links, selects, and radios and checkboxes
through the label that wraps them (the label is what a finger presses).

Exempt, as WCAG 2.5.8 allows: a link inside a sentence (its size is set by the line of text
around it), and controls nobody can see (hidden inputs, the honeypot, visually hidden text)."""

import pytest

from bench.pages import DEMO_PAGE_AUDIENCES, DOOR, PARTICIPANT

pytestmark = pytest.mark.browser

MINIMUM = 44

# What a finger presses for each control, and the ones below the minimum, with their size.
MEASURE = """(minimum) => {
  const small = [];
  const seen = new Set();
  const inSentence = (link) => {
    const around = link.parentElement.textContent.replace(link.textContent, "");
    return /[\\p{L}\\p{N}]/u.test(around) && getComputedStyle(link).display.startsWith("inline");
  };
  for (const control of document.querySelectorAll("input, button, a[href], select, textarea")) {
    if (control.type === "hidden") continue;
    if (control.closest("[aria-hidden=true], .visually-hidden, [hidden]")) continue;
    const box0 = control.getBoundingClientRect();
    const style = getComputedStyle(control);
    if (style.visibility === "hidden" || (box0.width === 0 && box0.height === 0)) continue;
    if (control.tagName === "A" && inSentence(control)) continue;
    const label = control.closest("label");
    const target = label && ["radio", "checkbox"].includes(control.type) ? label : control;
    if (seen.has(target)) continue;
    seen.add(target);
    const box = target.getBoundingClientRect();
    if (box.width < minimum || box.height < minimum) {
      const name = (target.textContent || target.name || target.id || "").trim().slice(0, 30);
      small.push(`${target.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""

TOUCHED_PAGES = [
    name for name, audience in DEMO_PAGE_AUDIENCES.items() if audience in (PARTICIPANT, DOOR)
]


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("name", TOUCHED_PAGES)
def test_every_control_is_big_enough_for_a_finger(open_page, name, language):
    with open_page(name, language) as page:
        small = page.evaluate(MEASURE, MINIMUM)
    assert small == [], f"below {MINIMUM}×{MINIMUM} px:\n" + "\n".join(small)
