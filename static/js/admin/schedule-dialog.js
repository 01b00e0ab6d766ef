// The editor's "Set publishing schedule" dialog, made hard to lose a date in.
//
// Wagtail empties the go-live and expiry fields whenever that dialog closes without "Save schedule"
// (closing means cancel). Two things turned that into a trap: the date picker opens over the
// "Save schedule" button, and Escape, pressed to put the picker away, closed the whole dialog; then
// "Publish" published at once. So here Escape first closes only the picker, as any popup inside a
// dialog does; a date that is discarded all the same is reported at once; and Publish asks before
// going live now while a go-live date the editor typed has been discarded.
(() => {
  const DIALOG_ID = "schedule-publishing-dialog";
  const LABELS = { go_live_at: "go-live", expire_at: "expiry" };
  let discardedGoLive = "";

  const scheduleFields = () =>
    Array.from(document.querySelectorAll(`#${DIALOG_ID} input[name="go_live_at"], #${DIALOG_ID} input[name="expire_at"]`));

  // Caught on the way down, before the dialog's own Escape handler sees it.
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Escape" || !scheduleFields().includes(event.target)) return;
      const picker = window.jQuery && window.jQuery(event.target).data("xdsoft_datetimepicker");
      if (!picker || !picker.is(":visible")) return;
      picker.trigger("close.xdsoft");
      event.preventDefault();
      event.stopPropagation();
    },
    true,
  );

  // The dialog says it is hidden before it tells the fields to go back to their saved values, so
  // what the editor typed can still be read here.
  document.addEventListener("w-dialog:hidden", (event) => {
    if (event.target.id !== DIALOG_ID) return;
    const dropped = scheduleFields().filter((field) => field.value !== field.defaultValue);
    const goLive = dropped.find((field) => field.name === "go_live_at");
    discardedGoLive = goLive ? goLive.value : "";
    if (!dropped.length) return;
    const describe = (field) =>
      field.value ? `the ${LABELS[field.name]} date ${field.value}` : `the removal of the ${LABELS[field.name]} date`;
    const text =
      `Not kept: ${dropped.map(describe).join(" and ")}. The schedule was closed without “Save schedule”; ` +
      "choose “Set schedule” again to set it.";
    // Wagtail's messages sit above the editor, which may be scrolled far down: bring this one into view.
    const messages = document.querySelector(".messages[data-controller~='w-messages']");
    messages?.addEventListener("w-messages:added", () => messages.scrollIntoView({ block: "nearest" }), { once: true });
    document.dispatchEvent(new CustomEvent("w-messages:add", { detail: { clear: true, type: "warning", text } }));
  });

  document.addEventListener("w-dialog:shown", (event) => {
    if (event.target.id === DIALOG_ID) discardedGoLive = "";
  });

  document.addEventListener(
    "click",
    (event) => {
      const publish = event.target.closest('button[name="action-publish"]');
      const goLive = document.querySelector(`#${DIALOG_ID} input[name="go_live_at"]`);
      // Only while the go-live field is empty again: a schedule saved earlier still holds.
      if (!publish || !discardedGoLive || !goLive || goLive.value) return;
      const question =
        `The go-live date you typed, ${discardedGoLive}, was not saved, so Publish puts this page live now. ` +
        "Publish now?";
      if (!window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );
})();
