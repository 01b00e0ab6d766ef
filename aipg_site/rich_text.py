"""What editors may format in rich text anywhere on the site: headings below the page title, emphasis,
links, lists and a rule. Kept apart from the blocks so that any app's model can use it without
importing the site's StreamField blocks (which include the apps' own blocks)."""

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul", "hr"]
