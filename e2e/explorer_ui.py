"""The optimizer explorer as a person sees it: find its controls, drag a slider, read the legend.

Used in JupyterLab, in deck mode and in Voilà alike: the explorer (dlcourse/explorer.py) is an
ipywidgets box (class course-explorer) with a PNG image of the plot (course-explorer-plot), an
HTML legend with each optimizer's final loss and steps to tolerance (course-explorer-legend), and
tabs of controls with a "landscape" dropdown and a log slider "all learning rates".
"""

COMMON_LR = "all learning rates"
LANDSCAPE = "landscape"


class ExplorerView:
    def __init__(self, page, scope=None):
        self.page = page
        root = scope if scope is not None else page
        # Locators given as `has=` are matched inside the outer element, so they are built
        # from the page, unscoped.
        slider = page.locator(".widget-slider").filter(
            has=page.locator(".widget-label", has_text=COMMON_LR)
        )
        self.slider = (
            root.locator(".widget-slider")
            .filter(has=page.locator(".widget-label", has_text=COMMON_LR))
            .first
        )
        self.dropdown = (
            root.locator(".widget-dropdown")
            .filter(has=page.locator(".widget-label", has_text=LANDSCAPE))
            .first
        )
        self.box = root.locator(".course-explorer").filter(has=slider).last
        self.legend = self.box.locator(".course-explorer-legend")
        self.image = self.box.locator("img.course-explorer-plot")
        self.tabs = self.box.locator(".widget-tab, .jupyter-widget-Collapse, .lm-TabBar").first

    def wait_rendered(self, timeout=60_000):
        self.slider.locator(".noUi-handle").wait_for(state="visible", timeout=timeout)
        self.dropdown.locator("select").wait_for(state="visible", timeout=timeout)
        self.image.wait_for(state="visible", timeout=timeout)

    def state(self):
        """(legend text, image source): what must change when a control moves."""
        return (" ".join(self.legend.inner_text().split()), self.image.get_attribute("src"))

    def wait_change(self, before, timeout=30_000):
        """Wait until the legend text and the plot both differ from `before`; return the new
        state."""
        legend, image = self.legend.element_handle(), self.image.element_handle()
        self.page.wait_for_function(
            """([legend, image, text, src]) =>
                legend.innerText.split(/\\s+/).join(' ').trim() !== text && image.src !== src""",
            arg=[legend, image, before[0], before[1]],
            timeout=timeout,
            polling=200,
        )
        return self.state()

    def drag_learning_rate(self):
        """Drag the common learning-rate slider's handle far along its track, with the mouse."""
        track = self.slider.locator(".noUi-target, .slider").first
        handle = self.slider.locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        box, grip = track.bounding_box(), handle.bounding_box()
        x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
        relative = (x - box["x"]) / box["width"]
        target = box["x"] + box["width"] * (0.2 if relative > 0.5 else 0.8)
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(target, y, steps=8)
        self.page.mouse.up()
        return self.slider.locator(".widget-readout").inner_text()

    def switch_landscape(self):
        """Choose another landscape in the dropdown; return its name."""
        select = self.dropdown.locator("select")
        current = select.input_value()
        options = [
            value
            for value in select.locator("option").evaluate_all(
                "(options) => options.map((option) => option.value)"
            )
            if value != current
        ]
        choice = "himmelblau" if "himmelblau" in options else options[0]
        select.select_option(choice)
        return choice

    def sharpness(self):
        """(image pixels across, shown CSS pixels across, device pixel ratio)."""
        return self.image.evaluate(
            "(img) => [img.naturalWidth, img.getBoundingClientRect().width,"
            " window.devicePixelRatio]"
        )

    def boxes(self):
        """The bounding boxes of the plot, the legend and the controls, and the page's width."""
        return self.box.evaluate("""(box) => {
            const rect = (el) => { const r = el.getBoundingClientRect();
                return {left: r.left, top: r.top + window.scrollY, right: r.right,
                        bottom: r.bottom + window.scrollY}; };
            const controls = [...box.querySelectorAll('.widget-slider, .widget-dropdown,'
                + ' .widget-checkbox, .widget-button')].filter((el) => el.offsetParent);
            // Labels cut short ("Moment…"): text wider than the room it is given.
            const cut = [...box.querySelectorAll('.widget-label, .widget-label-basic, label,'
                + ' button, .lm-TabBar-tabLabel')]
                .filter((el) => el.offsetParent && el.scrollWidth > el.clientWidth + 1)
                .map((el) => el.textContent.trim());
            return {plot: rect(box.querySelector('img.course-explorer-plot')),
                    legend: rect(box.querySelector('.course-explorer-legend')),
                    controls: controls.map(rect), cut,
                    page: document.scrollingElement.scrollWidth};
        }""")
