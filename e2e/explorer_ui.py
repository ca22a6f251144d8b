"""The optimizer explorer as a person sees it: find its controls, drag a slider, read the legend.

Used in JupyterLab, in deck mode and in Voilà alike: the explorer (dlcourse/explorer.py) is an
ipywidgets box with a "landscape" dropdown, a log slider "all learning rates", a PNG image of the
plot and an HTML legend with each optimizer's final loss and steps to tolerance.
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
        # The explorer's outer box holds the slider and the plot image; its legend is its last
        # HTML widget.
        self.box = (
            root.locator(".widget-vbox")
            .filter(has=slider)
            .filter(has=page.locator(".widget-image"))
            .last
        )
        self.legend = self.box.locator(".widget-html").last
        self.image = self.box.locator("img.widget-image, .widget-image img, img").first

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
