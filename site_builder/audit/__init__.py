"""``parole audit``: the organizer's own built site checked in a real browser, a report an
auditor can work from, and an accessibility statement that never claims more than was verified.

The parts, in the order a run goes through them:

- ``site_pages`` and ``collector_pages`` list every page to check (each ``*.html`` of the site,
  the paper versions, the site map, the low-data edition, the 404 page, and the collector's
  receipt, errors, closed, not yet open and not found pages rendered for the site's forms);
  ``server`` serves them on 127.0.0.1;
- ``browser`` drives the system Chromium through Playwright and runs axe-core (shipped by
  axe-playwright-python) and parole's own checks (``page_checks``, ``checks.js``): keyboard,
  reflow, dark mode and forced colours, touch targets, headings, link texts, pictures;
- ``rules`` says for each rule its WCAG success criteria, its RGAA 4.1 criteria and how to fix
  it; ``criteria`` holds the 106 RGAA criteria; ``verdicts`` decides each criterion from the
  findings and the auditor's review file (``review``), and the compliance rate by the RGAA
  method;
- ``report_json``, ``report_html`` write the report; ``statement`` the accessibility statement;
  ``command`` is the command line.

``model`` holds the plain data they share.
"""
