for (const s of ['esales-snippet/esales.js', 'esales-snippet/esales-fallback.js', 'esales-snippet/esales-ads.js', 'esales-snippet/dist/esales-ads.js']) {
  try { console.log(s, '->', import.meta.resolve(s)) } catch (e) { console.log(s, '->', e.code) }
}
