namespace Tracker.Client.Tests.Browser;

/// <summary>The first-paint benchmark's in-page probe (an init script): first, all and interactive chart times, when a
/// sketch entered the document, the long tasks, and an in-app start at the click's own event.</summary>
internal static class FirstPaintProbe
{
    /// <summary>Records, in the page, when the charts in view are first drawn: <c>first</c> (one chart drawn, by the server's
    /// sketch or by Plotly), <c>all</c> (every chart in view), <c>interactive</c> (every chart in view drawn by Plotly:
    /// zoomable and live). Times are <c>performance.now()</c> at the animation frame that found them, so from the
    /// navigation's start for a full load.</summary>
    public const string Script = """
        (() => {
            const t = window.__fp = {};
            const inView = e => e.getBoundingClientRect().top < innerHeight;
            const sketched = b => { const s = b.querySelector('.sketch'); return !!(s && s.style.visibility !== 'hidden' && s.querySelector('polyline')); };
            const plotted = b => { const p = b.querySelector('.plot'); return !!(p && p.data && p.data[0] && p.data[0].x && p.data[0].x.length > 0); };
            // An in-app measurement starts at the click's event (the moment the user clicked), not when the harness asked for
            // the click: Playwright first waits for the link to be visible, stable (two animation frames) and hit.
            window.__fpReset = () => { for (const k of Object.keys(t)) delete t[k]; t.start = t.asked = performance.now(); t.armed = true; t.long = []; requestAnimationFrame(tick); };
            addEventListener('click', e => { if (t.armed) { t.start = e.timeStamp; t.armed = false; } }, true);
            // The main thread's long tasks (> 50 ms) since the start: what keeps a sketch in the document from being painted.
            t.long = [];
            new PerformanceObserver(l => { for (const e of l.getEntries()) if (e.startTime >= (t.start || 0)) t.long.push([e.startTime, e.duration]); })
                .observe({ type: 'longtask', buffered: false });
            // When a sketch is first in the document (it may be some frames before one is painted: a busy main thread).
            new MutationObserver(() => { if (t.inDom === undefined && document.querySelector('#charts .sketch polyline')) t.inDom = performance.now(); })
                .observe(document, { childList: true, subtree: true });
            const tick = () => {
                const now = performance.now();
                const boxes = [...document.querySelectorAll('#charts .plot-box')].filter(inView);
                if (boxes.length > 0) {
                    if (t.first === undefined && boxes.some(b => sketched(b) || plotted(b))) t.first = now;
                    if (t.all === undefined && boxes.every(b => sketched(b) || plotted(b))) t.all = now;
                    if (t.interactive === undefined && boxes.every(plotted)) { t.interactive = now; t.charts = boxes.length; }
                }
                if (t.interactive === undefined) requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
        })()
        """;
}
