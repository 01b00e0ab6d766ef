// Added to every page the browser tests open, before the page's own code runs (the page's Content
// Security Policy does not apply to scripts the browser injects). inspection.py calls these.
"use strict";

window.browserChecks = (() => {
    const cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
        const what = event.blockedURI || "inline code";
        cspViolations.push(`${event.effectiveDirective} blocked ${what} at ${event.sourceFile}:${event.lineNumber}`);
    });

    const FOCUSABLE = [
        "a[href]", "area[href]", "button", "input:not([type='hidden'])", "select", "textarea", "summary",
        "iframe", "[tabindex]", "[contenteditable='true']",
    ].join(", ");
    // An indicator may be drawn by an ancestor, such as a card outlined through :focus-within.
    const ANCESTORS = 4;
    const unfocused = new Map();
    const visited = new Set();

    const visibleColour = (colour) => colour !== "transparent" && !/rgba\(.*,\s*0\)$/.test(colour);

    // The outline and box shadow of an element and its nearest ancestors, as they look now.
    const indicators = (element) => {
        const chain = [];
        let node = element;
        for (let depth = 0; node && node !== document.body && depth <= ANCESTORS; depth++) {
            const style = getComputedStyle(node);
            const drawn = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
                && visibleColour(style.outlineColor);
            chain.push({
                outline: drawn ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}` : null,
                shadow: style.boxShadow === "none" ? null : style.boxShadow,
            });
            node = node.parentElement;
        }
        return chain;
    };

    const describe = (element) => {
        const label = element.innerText || element.value || element.getAttribute("aria-label") || "";
        const id = element.id ? `#${element.id}` : "";
        const href = element.getAttribute("href") ? ` href="${element.getAttribute("href")}"` : "";
        return `<${element.tagName.toLowerCase()}${id}${href}> "${label.trim().slice(0, 40)}"`;
    };

    return {
        cspViolations: () => cspViolations,

        // Scroll down a screen at a time so lazy images load, wait for every image (at most 5 s), go back up.
        async loadLazyImages() {
            for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
                window.scrollTo(0, y);
                await new Promise((resolve) => requestAnimationFrame(resolve));
            }
            const pending = [...document.images].filter((image) => !image.complete);
            const loaded = Promise.all(pending.map((image) => new Promise((resolve) => {
                image.addEventListener("load", resolve, {once: true});
                image.addEventListener("error", resolve, {once: true});
            })));
            await Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, 5000))]);
            window.scrollTo(0, 0);
        },

        // Before anything has focus: how every focusable element and its ancestors look.
        recordUnfocusedStyles() {
            for (const element of document.querySelectorAll(FOCUSABLE)) unfocused.set(element, indicators(element));
        },

        // The focused element: whether focus came back round to it, whether an outline or shadow
        // appeared on it (or an ancestor) that was not there unfocused, and whether it is on screen.
        describeFocus() {
            const element = document.activeElement;
            if (!element || element === document.body || element === document.documentElement) return null;
            const seen = visited.has(element);
            visited.add(element);
            const before = unfocused.get(element) || [];
            const shown = indicators(element).some((now, index) => {
                const was = before[index] || {};
                return (now.outline && now.outline !== was.outline) || (now.shadow && now.shadow !== was.shadow);
            });
            const box = element.getBoundingClientRect();
            const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                && box.top < window.innerHeight && box.left < window.innerWidth;
            return {element: describe(element), seen, shown, onScreen};
        },

        // The focused element as a skip link: its href, and whether that leads to <main>.
        skipLinkTarget() {
            const link = document.activeElement;
            const main = document.querySelector("main");
            if (!link || link.tagName !== "A" || !main) return {link: null};
            const target = document.getElementById((link.getAttribute("href") || "").replace(/^#/, ""));
            return {link: link.getAttribute("href"), text: link.innerText.trim(), reachesMain: target === main};
        },

        focusIsInMain: () => document.querySelector("main").contains(document.activeElement),
    };
})();
