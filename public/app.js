// Copy buttons: <button data-copy="element-id" data-copied="label">. Loaded as a file, since
// the Content-Security-Policy allows no inline script.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null
  if (!button) return
  const source = document.getElementById(button.getAttribute('data-copy') || '')
  if (!source || !navigator.clipboard) return
  navigator.clipboard.writeText(source.textContent || '').then(() => {
    const label = button.getAttribute('data-copied')
    if (!label) return
    const before = button.textContent
    button.textContent = label
    setTimeout(() => {
      button.textContent = before
    }, 2000)
  })
})
