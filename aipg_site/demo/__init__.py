"""Demo content built in code with the plain Wagtail API: no fixture to rot as the models change.

Every helper here is idempotent: it finds what an earlier run made (by slug, title or name) and
brings it up to date, so `load_demo_content` run twice leaves the same site.
"""
