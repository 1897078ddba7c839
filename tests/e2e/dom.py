"""Scripts run inside the page: finding the executed outputs, and measuring colours.

Each constant is a JavaScript function that Playwright's ``evaluate`` calls with one argument.
"""

# Marks, in page order, the element showing each expected output with data-e2e-output=<index>;
# returns the indices it could not find. An expected output is {code: bool, text: str}:
# - code: a code block (result="text") whose text is exactly `text`, line ends aside;
# - otherwise the smallest element, outside the Python source blocks, whose letters and digits
#   contain those of `text` (Markdown or HTML printed by a block is reformatted by the page).
# Each output is looked for after the previous one, so a source block shown above its output
# and a same-looking earlier output cannot be mistaken for it.
MARK_OUTPUTS = """
expected => {
    const article = document.querySelector("article");
    const SVG = "http://www.w3.org/2000/svg";
    const lines = s => s.split("\\n").map(l => l.trimEnd()).join("\\n").trim();
    const letters = s => s.normalize("NFC").replace(/[^\\p{L}\\p{N}]/gu, "");
    const inSource = el => el.closest('[class*="language-py"], .doc-signature') !== null;
    const codes = [...article.querySelectorAll("pre > code")];
    const elements = [...article.querySelectorAll("*")].filter(el => !inSource(el));
    const text = new Map();
    const ownText = el => {
        if (text.has(el)) return text.get(el);
        let value = "";
        for (const child of el.childNodes) {
            if (child.nodeType === Node.TEXT_NODE) value += child.textContent;
            else if (child.nodeType === Node.ELEMENT_NODE && !inSource(child)
                     && child.namespaceURI !== SVG) value += ownText(child);
        }
        value = letters(value);
        text.set(el, value);
        return value;
    };
    const notBefore = (previous, el) => previous === null || previous === el
        || (previous.compareDocumentPosition(el) & (Node.DOCUMENT_POSITION_FOLLOWING
            | Node.DOCUMENT_POSITION_CONTAINED_BY | Node.DOCUMENT_POSITION_CONTAINS)) !== 0;
    const missing = [];
    let previous = null;
    expected.forEach((output, index) => {
        let found;
        if (output.code) {
            const want = lines(output.text);
            found = codes.find(c => notBefore(previous, c) && lines(c.textContent) === want);
        } else {
            const want = letters(output.text);
            const holders = elements.filter(
                el => notBefore(previous, el) && ownText(el).includes(want));
            // The smallest: a holder none of whose children holds the text too.
            found = holders.find(el => ![...el.children].some(child => holders.includes(child)));
        }
        if (!found) { missing.push(index); return; }
        found.setAttribute("data-e2e-output", String(index));
        previous = found;
    });
    return missing;
}
"""

# Clicks the copy buttons of the article's code blocks ``[start, start + count)`` and reads the
# clipboard after each click: {total, copies: [[code shown, text copied or null when the block
# has no button]]}. Each block is shown first as a reader would (its <details> opened, its tab
# selected); the clipboard is reset before each click so that a button that copies nothing is
# caught. The browser lets a page copy only for a few seconds after a real click: the caller
# clicks once before each slice (see tests/e2e/test_pages.py).
COPY_EVERY_BLOCK = """
async ([start, count]) => {
    const blocks = [...document.querySelectorAll("article pre > code")];
    const copies = [];
    for (const code of blocks.slice(start, start + count)) {
        for (let node = code; node; node = node.parentElement) {
            if (node.tagName === "DETAILS") node.open = true;
            if (node.classList.contains("tabbed-block")) {
                const index = [...node.parentElement.children].indexOf(node);
                const labels = node.closest(".tabbed-set").querySelector(":scope > .tabbed-labels");
                labels.children[index].click();
            }
        }
        const button = code.parentElement.querySelector(".md-code__button[data-md-type=copy]");
        if (!button) { copies.push([code.textContent, null]); continue; }
        await navigator.clipboard.writeText("nothing copied yet");
        button.click();
        // Material copies asynchronously: wait (up to 200 ms) for the clipboard to change.
        let copied = "nothing copied yet";
        for (let tries = 0; copied === "nothing copied yet" && tries < 10; tries++) {
            await new Promise(resolve => setTimeout(resolve, tries ? 20 : 0));
            copied = await navigator.clipboard.readText();
        }
        copies.push([code.textContent, copied]);
    }
    return {total: blocks.length, copies: copies};
}
"""

# The contrast of every painted part of a plot with what lies behind it:
# [{kind: "text"|"line"|"patch", ratio, alpha, color, id}], and the background colour.
PLOT_CONTRASTS = """
svg => {
    const parse = value => {
        const match = /rgba?\\(([^)]+)\\)/.exec(value || "");
        if (!match) return null;
        const [r, g, b, a = 1] = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return {r, g, b, a};
    };
    const over = (top, alpha, under) => ({
        r: top.r * alpha + under.r * (1 - alpha),
        g: top.g * alpha + under.g * (1 - alpha),
        b: top.b * alpha + under.b * (1 - alpha),
    });
    const luminance = c => {
        const channel = v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    };
    const ratio = (a, b) => {
        const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
    };
    // What is behind the plot: the nearest ancestor with a background, then the plot's own
    // figure background if it paints one.
    let background = {r: 255, g: 255, b: 255};
    const chain = [];
    for (let node = svg.parentElement; node; node = node.parentElement) chain.push(node);
    for (const node of chain.reverse()) {
        const color = parse(getComputedStyle(node).backgroundColor);
        if (color && color.a > 0) background = over(color, color.a, background);
    }
    const figurePatch = svg.querySelector('g[id$="patch_1"] path');
    if (figurePatch) {
        const style = getComputedStyle(figurePatch);
        const fill = parse(style.fill);
        const alpha = fill ? fill.a * Number(style.fillOpacity) * Number(style.opacity) : 0;
        if (fill && alpha > 0) background = over(fill, alpha, background);
    }
    const kindOf = el => {
        for (let node = el; node && node !== svg; node = node.parentElement) {
            const id = node.id || "";
            if (/text_\\d+$/.test(id)) return "text";
            if (/line2d_\\d+$/.test(id)) return "line";
            if (/patch_\\d+$/.test(id)) return "patch";
        }
        return "other";
    };
    const opacity = el => {
        let value = 1;
        for (let node = el; node && node !== svg.parentElement; node = node.parentElement) {
            value *= Number(getComputedStyle(node).opacity);
        }
        return value;
    };
    const parts = [];
    const painted = "path, use, line, polyline, polygon, rect, circle, ellipse, text";
    for (const el of svg.querySelectorAll(painted)) {
        if (el.closest("defs, clipPath, mask, title")) continue;
        const style = getComputedStyle(el);
        const paints = [];
        const stroke = parse(style.stroke);
        if (stroke && parseFloat(style.strokeWidth) > 0) {
            paints.push([stroke, Number(style.strokeOpacity)]);
        }
        const fill = parse(style.fill);
        if (fill) paints.push([fill, Number(style.fillOpacity)]);
        for (const [color, paintOpacity] of paints) {
            const alpha = color.a * paintOpacity * opacity(el);
            if (alpha <= 0) continue;
            parts.push({
                kind: kindOf(el),
                ratio: ratio(over(color, alpha, background), background),
                alpha,
                color: `rgb(${color.r}, ${color.g}, ${color.b})`,
                id: (el.closest("g[id]") || {}).id || "",
            });
        }
    }
    return {background: `rgb(${background.r}, ${background.g}, ${background.b})`, parts};
}
"""
