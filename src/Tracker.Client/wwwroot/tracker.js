// Small browser helpers of the dashboard (imported as a JS module).
export function elementWidth(id) {
    const el = document.getElementById(id);
    return el ? Math.round(el.getBoundingClientRect().width) : 0;
}

// Saves a .NET stream as a file download (the CSV export needs the Bearer header, so a plain link cannot fetch it).
export async function download(name, streamRef) {
    const buffer = await streamRef.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
}
