// What a person sees at one step of a deck, measured in the page (tools/check_slides.py).
//
// mode "reveal": a static deck from `make slides`; the frame is reveal.js's slide (1280 x 720
//   in slide pixels, whatever the window), the shown cells are those of the current slide that
//   are not in a fragment still to come.
// mode "lab": jupyterlab-slideshow's deck mode in JupyterLab; the frame is the window, the shown
//   cells are the deck's visible cells.
//
// Returns {cells: [cell ids shown], findings: [...], smallest: px, hangul: n}. Each finding is
// {kind, cell, px, text}; elements holding Hangul get data-course-hangul so that the checker
// can ask the browser which font drew them.
(options) => {
  const {mode, minPx, shrinkLimit} = options;
  const HANGUL_ALL = /[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]/g;
  let frame, cells;
  if (mode === "reveal") {
    const reveal = window.Reveal;
    const box = document.querySelector(".reveal .slides").getBoundingClientRect();
    const config = reveal.getConfig();
    frame = {left: box.left, top: box.top, width: config.width, height: config.height,
             scale: reveal.getScale()};
    const slide = reveal.getCurrentSlide();
    cells = [...slide.querySelectorAll(".jp-Cell")].filter((cell) => {
      if (cell.closest("aside.notes")) return false;
      const fragment = cell.closest(".fragment");
      return !fragment || fragment.classList.contains("visible");
    });
  } else {
    frame = {left: 0, top: 0, width: window.innerWidth, height: window.innerHeight, scale: 1};
    cells = [...document.querySelectorAll(
      ".jp-Deck .jp-Cell.jp-deck-mod-onscreen.jp-deck-mod-visible")];
  }
  const toFrame = (rect) => ({
    left: (rect.left - frame.left) / frame.scale,
    right: (rect.right - frame.left) / frame.scale,
    top: (rect.top - frame.top) / frame.scale,
    bottom: (rect.bottom - frame.top) / frame.scale,
    width: rect.width / frame.scale,
  });
  const cellId = (element) => {
    const cell = element.closest(".jp-Cell");
    if (!cell) return null;
    if (cell.dataset.courseCell) return cell.dataset.courseCell;  // set by the lab checker
    return cell.id && cell.id.startsWith("cell-id=") ? cell.id.slice(8) : null;
  };
  const shown = (element) => {
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const rect = element.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  };
  const snippet = (text) => text.replace(/\s+/g, " ").trim().slice(0, 60);
  const findings = [];
  let smallest = Infinity;
  let hangul = 0;
  document.querySelectorAll("[data-course-hangul]").forEach((element) => {
    element.removeAttribute("data-course-hangul");
    element.removeAttribute("data-course-hangul-count");
  });

  for (const cell of cells) {
    const id = cellId(cell);
    // 1. Inside the frame: not above it (scrolled off), below it, or right of it.
    let top = Infinity, bottom = -Infinity, right = -Infinity, widest = null;
    for (const element of [cell, ...cell.querySelectorAll("*")]) {
      if (!shown(element)) continue;
      const rect = toFrame(element.getBoundingClientRect());
      top = Math.min(top, rect.top);
      bottom = Math.max(bottom, rect.bottom);
      if (rect.right > right) { right = rect.right; widest = element; }
    }
    if (top < -1) {
      findings.push({kind: "above the frame", cell: id, px: Math.round(top),
                     text: `starts at ${Math.round(top)} px (scrolled off the top)`});
    }
    if (bottom > frame.height + 1) {
      findings.push({kind: "below the frame", cell: id, px: Math.round(bottom),
                     text: `ends at ${Math.round(bottom)} px of ${frame.height}`});
    }
    if (right > frame.width + 1) {
      findings.push({kind: "right of the frame", cell: id, px: Math.round(right),
                     text: `${widest.tagName.toLowerCase()} ends at ${Math.round(right)} px ` +
                           `of ${frame.width}: ${snippet(widest.textContent || "")}`});
    }
    // 2. Cut lines: an element that clips or scrolls sideways.
    for (const element of cell.querySelectorAll("pre, code, .cm-scroller, .cm-content, " +
                                                ".jp-OutputArea-output, .jp-RenderedText, table")) {
      if (!shown(element)) continue;
      const overflow = getComputedStyle(element).overflowX;
      if (overflow !== "visible" && element.scrollWidth > element.clientWidth + 1) {
        const line = (element.innerText || "").split("\n")
          .reduce((a, b) => (b.length > a.length ? b : a), "");
        findings.push({kind: "line cut", cell: id, px: element.scrollWidth - element.clientWidth,
                       text: snippet(line)});
      }
    }
    // 3. Text size, per text node (MathJax's sub- and superscripts count as their formula).
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const small = new Map();
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.textContent.trim()) continue;
      let element = node.parentElement;
      const math = element.closest(".MathJax_CHTML, .MathJax, mjx-container");
      if (math) element = math;
      if (!shown(element)) continue;
      const px = parseFloat(getComputedStyle(element).fontSize);
      smallest = Math.min(smallest, px);
      if (px < minPx - 0.01) {
        const key = `${px}`;
        if (!small.has(key)) small.set(key, snippet(node.textContent));
      }
      const letters = (node.textContent.match(HANGUL_ALL) || []).length;
      if (letters) {
        const parent = node.parentElement;
        if (!parent.dataset.courseHangul) hangul += 1;
        parent.dataset.courseHangul = id || "?";
        parent.dataset.courseHangulCount = `${(+parent.dataset.courseHangulCount || 0) + letters}`;
      }
    }
    for (const [px, text] of small) {
      findings.push({kind: "text under " + minPx + " px", cell: id, px: parseFloat(px), text});
    }
    // 4. Figures shown smaller than drawn (their text shrinks with them).
    for (const image of cell.querySelectorAll("img")) {
      if (!shown(image) || !image.naturalWidth) continue;
      const drawn = parseFloat(image.getAttribute("width")) || image.naturalWidth;
      const ratio = toFrame(image.getBoundingClientRect()).width / drawn;
      if (ratio < shrinkLimit) {
        findings.push({kind: "figure shrunk", cell: id, px: Math.round(100 * ratio),
                       text: `shown at ${Math.round(100 * ratio)}% of its ${drawn} px width`});
      }
    }
  }
  return {cells: cells.map(cellId), findings, smallest: Number.isFinite(smallest) ? smallest : null,
          hangul};
}
