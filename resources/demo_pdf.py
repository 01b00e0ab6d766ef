"""Small, valid PDFs for the demo library, written by hand so the demo needs no PDF library.

Each document is A4 with a title page and text pages set in Helvetica (one of the fonts every PDF
reader has built in), so readers open it, search engines can read it and pypdf counts its pages.
"""

import textwrap

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 72
LINE_HEIGHT = 15
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LINE_HEIGHT
WRAP = 88


def build_pdf(title, subtitle, paragraphs, pages):
    """A PDF of exactly `pages` pages: a title page, then `paragraphs` flowed over the rest.

    Text runs out before the pages do in short demo documents; the remaining pages repeat the
    paragraphs, numbered, so every page has something to read.
    """
    if pages < 1:
        raise ValueError("A PDF needs at least one page.")
    streams = [_title_page(title, subtitle)]
    lines = []
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph, WRAP), ""]
    for number in range(2, pages + 1):
        body = [f"{title}: page {number} of {pages}", "", *_take(lines, number - 2)]
        streams.append(_text_stream(body, top=PAGE_HEIGHT - MARGIN, size=11))
    return _assemble(title, streams)


def _take(lines, page_index):
    """The lines for one text page, cycling through the text when it is shorter than the document."""
    per_page = LINES_PER_PAGE - 2
    if not lines:
        return []
    start = (page_index * per_page) % len(lines)
    return [lines[(start + offset) % len(lines)] for offset in range(min(per_page, len(lines)))]


def _title_page(title, subtitle):
    title_lines = textwrap.wrap(title, 40)
    ops = ["BT", "/F1 24 Tf", f"{MARGIN} {PAGE_HEIGHT - 2 * MARGIN} Td", "30 TL"]
    ops += [f"({_escape(line)}) Tj T*" for line in title_lines]
    ops += ["/F1 13 Tf", "18 TL", "T*"]
    ops += [f"({_escape(line)}) Tj T*" for line in textwrap.wrap(subtitle, 70)]
    ops.append("ET")
    return "\n".join(ops)


def _text_stream(lines, top, size):
    ops = ["BT", f"/F1 {size} Tf", f"{MARGIN} {top} Td", f"{LINE_HEIGHT} TL"]
    ops += [f"({_escape(line)}) Tj T*" for line in lines]
    ops.append("ET")
    return "\n".join(ops)


def _escape(text):
    # PDF strings are bytes in the font's encoding; Helvetica's WinAnsi covers Latin-1 text.
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    text = text.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _assemble(title, streams):
    """Objects 1-4 are the catalog, the page tree, the font and the document info; then a page and
    its content stream for each page."""
    page_ids = [5 + 2 * index for index in range(len(streams))]
    objects = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{' '.join(f'{pid} 0 R' for pid in page_ids)}] /Count {len(streams)} >>",
        3: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: f"<< /Title ({_escape(title)}) /Producer (AIPG demo content) >>",
    }
    for page_id, stream in zip(page_ids, streams, strict=True):
        content = stream.encode("latin-1")
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>"
        )
        objects[page_id + 1] = content
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        body = objects[number]
        if isinstance(body, bytes):
            out += f"{number} 0 obj\n<< /Length {len(body)} >>\nstream\n".encode() + body + b"\nendstream\nendobj\n"
        else:
            out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref_at = len(out)
    count = max(objects) + 1
    out += f"xref\n0 {count}\n0000000000 65535 f \n".encode()
    for number in range(1, count):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {count} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)
