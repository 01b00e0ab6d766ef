// stylelint for static/css (`make lint`): the standard config, less what contradicts this project's CSS.
export default {
  extends: ["stylelint-config-standard"],
  rules: {
    // Class names are BEM: block__element--modifier, each part in kebab-case (the standard wants plain kebab-case).
    "selector-class-pattern": [
      "^[a-z][a-z0-9]*(-[a-z0-9]+)*(__[a-z0-9]+(-[a-z0-9]+)*)?(--[a-z0-9]+(-[a-z0-9]+)*)?$",
      { message: (selector) => `Expected class selector "${selector}" to be block__element--modifier (BEM)` },
    ],
    // A short rule is written on one line, and rules about one thing are grouped without blank lines between them.
    "declaration-block-single-line-max-declarations": null,
    "rule-empty-line-before": null,
    // It compares every selector ending in `a` with every other (`.site-footer a` with `.card:hover .card__title a`),
    // though most never match one element; reordering rules to please it would itself change the cascade.
    "no-descending-specificity": null,
    // `(min-width: 40rem)`, not `(width >= 40rem)`: range syntax needs Safari 16.4 or later.
    "media-feature-range-notation": "prefix",
    // Font family names are written as their foundries spell them (Georgia, Roboto, Arial).
    "value-keyword-case": ["lower", { ignoreProperties: ["/^--font-/"] }],
    // Safari on iOS reads only the prefixed text-size-adjust.
    "property-no-vendor-prefix": [true, { ignoreProperties: ["-webkit-text-size-adjust"] }],
    // clip: rect(0 0 0 0) is the part of the visually-hidden pattern that every browser and screen reader knows.
    "property-no-deprecated": [true, { ignoreProperties: ["clip"] }],
  },
};
