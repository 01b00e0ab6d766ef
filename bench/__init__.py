"""`make bench`: a generated site under gunicorn, Redis and PostgreSQL, measured from loopback with wrk.

`scenarios.py` is the one place that says what is generated and which pages are measured;
`bulk.py` adds thousands of pages in seconds; `generate.py` builds one site; `run.py` runs it all.
"""
