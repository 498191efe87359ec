// Blazor Web's JavaScript initializer for Tracker.Client (blazor.web.js imports `<assembly>.lib.module.js` by name).

/** Marks when the WebAssembly runtime's start begins (User Timing: DevTools' performance panel and the benchmarks show it). */
export function beforeWebAssemblyStart() {
    performance.mark('tracker:webassembly-start');
}

/**
 * Starts evaluating plotly.js on a chart page loaded in full, as soon as Blazor has started.
 *
 * The page preloads the script (`<link rel="preload" data-plotly>`, App.razor) but does not run it: as a deferred script
 * its ~0.4 s of evaluation would hold `DOMContentLoaded`, and so Blazor's start. Started here, it overlaps the page's
 * server circuit being set up or its WebAssembly runtime downloading. (Measured, later was worse: evaluated once the
 * circuit has started, it held the page's first render on that circuit.) The script is marked `data-plotly="loading"`,
 * then "loaded" or "failed"; charts.js waits for it while it loads.
 */
export function afterWebStarted() {
    startPlotly();
}

function startPlotly() {
    const preload = document.querySelector('link[data-plotly]');
    if (!preload || window.Plotly || document.querySelector('script[data-plotly]')) return;
    const script = document.createElement('script');
    script.src = preload.href;
    script.async = true;
    script.dataset.plotly = 'loading';
    script.addEventListener('load', () => { script.dataset.plotly = 'loaded'; });
    script.addEventListener('error', () => { script.dataset.plotly = 'failed'; });
    document.head.appendChild(script);
}

/**
 * Paints a page that an enhanced navigation brought before its WebAssembly components start.
 *
 * After an in-app (enhanced) navigation, Blazor puts the server's HTML into the document and then, in a microtask of the
 * same task, starts the new page's WebAssembly components. On the run page that start is one main-thread task of about
 * 200 ms (interpreted .NET), and the browser cannot paint until it ends, so the server-drawn chart sketches, already in
 * the document, stay invisible meanwhile. Queuing the start until just after the next frame lets the browser paint the
 * new document first; the start then runs as before, in order. (A hidden tab gets no frames: a 100 ms timer stands in.)
 *
 * This wraps `Blazor._internal.updateRootComponents`, which is not a public API (aspnetcore's Web.JS calls it from
 * `WebRootComponentManager.updateWebAssemblyRootComponents`); where it is missing, nothing changes. The first page
 * load's components start through another path and are not delayed.
 */
export function afterWebAssemblyStarted(blazor) {
    performance.mark('tracker:webassembly-started'); // the runtime is up; the app's Main runs next
    const internal = blazor && blazor._internal;
    const update = internal && internal.updateRootComponents;
    if (typeof update !== 'function') return;
    const queue = [];
    let scheduled = false;
    const drain = () => {
        scheduled = false;
        while (queue.length > 0) {
            const [operations, state] = queue.shift();
            update.call(internal, operations, state);
        }
    };
    internal.updateRootComponents = (operations, state) => {
        queue.push([operations, state]);
        if (scheduled) return;
        scheduled = true;
        let ran = false;
        const once = () => { if (!ran) { ran = true; drain(); } };
        requestAnimationFrame(() => setTimeout(once, 0));
        setTimeout(once, 100);
    };
}
