// Graphic images in stories (templates/blocks/story_image_block.html). The image's markup waits in
// a <template>, which the browser does not load; the button copies it into the page when the reader
// asks, and hides it again. Without this script the reader has the link to the image instead.
(function () {
    "use strict";
    document.querySelectorAll("[data-graphic-image]").forEach(function (box) {
        var link = box.querySelector("[data-graphic-image-link]");
        var button = box.querySelector("[data-graphic-image-toggle]");
        var content = box.querySelector("[data-graphic-image-content]");
        var template = box.querySelector("[data-graphic-image-template]");

        link.hidden = true;
        button.hidden = false;
        button.addEventListener("click", function () {
            var show = button.getAttribute("aria-expanded") !== "true";
            if (show && !content.hasChildNodes()) {
                content.appendChild(template.content.cloneNode(true));
            }
            content.hidden = !show;
            button.setAttribute("aria-expanded", String(show));
            // The label says what pressing it will do next.
            button.textContent = show ? "Hide the image" : "Show the image";
        });
    });
}());
