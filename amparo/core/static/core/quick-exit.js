/* Quick exit (DESIGN.md, "Safety in the interface").
 * Without JavaScript the "Leave quickly" link is an ordinary link to the neutral page. Here
 * the link and the Esc key use location.replace(), so this page leaves the history and Back
 * does not bring it up again. */
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) {
    return;
  }
  function leave(event) {
    event.preventDefault();
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  link.setAttribute("aria-keyshortcuts", "Escape");
  document.addEventListener("keydown", function (event) {
    // Esc also cancels an input method's composition; that press is not meant for us.
    if (event.key === "Escape" && !event.isComposing) {
      leave(event);
    }
  });
})();
