// The dark-knowledge view's arithmetic, in the browser: each model's softmax(z / T) for one test image, redrawn on
// every move of the temperature slider without asking the server (the logits arrive once, with show()).

// The temperature the reader last chose, so the next image opens at it.
let lastTemperature = 1;

/** softmax(z / T) of one row of logits, after subtracting the largest (exp never overflows). */
export function softmax(logits, temperature) {
    const scaled = logits.map(z => z / temperature);
    const max = Math.max(...scaled);
    const exps = scaled.map(z => Math.exp(z - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map(e => e / sum);
}

/**
 * Binds the view under root to one image's logits ({ teacher, studentScratch, studentDistilled }: arrays of numbers).
 * root holds an input[type=range], an element with data-temperature, and rows tr[data-model] whose cells
 * td[data-class] hold a .dk-fill bar and a .dk-p text; Blazor renders them empty and this module fills them.
 */
export function show(root, image, scroll) {
    dispose(root);
    const slider = root.querySelector('input[type=range]');
    const shown = root.querySelector('[data-temperature]');
    const rows = [...root.querySelectorAll('tr[data-model]')];
    slider.value = String(lastTemperature);

    function draw() {
        const temperature = Number(slider.value);
        lastTemperature = temperature;
        shown.textContent = temperature.toFixed(1);
        for (const row of rows) {
            const probabilities = softmax(image[row.dataset.model], temperature);
            for (const cell of row.querySelectorAll('td[data-class]')) {
                const p = probabilities[Number(cell.dataset.class)];
                cell.dataset.p = String(p);
                cell.querySelector('.dk-p').textContent = (p * 100).toFixed(1) + ' %';
                cell.querySelector('.dk-fill').style.width = (p * 100).toFixed(2) + '%';
            }
        }
    }

    slider.addEventListener('input', draw);
    root.darkKnowledgeUnbind = () => slider.removeEventListener('input', draw);
    draw();
    // The whole view (heading included) comes into sight; its scroll-margin keeps it clear of the fixed app bar.
    if (scroll) (root.closest('.dark-knowledge-view') ?? root).scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

export function dispose(root) {
    if (root && root.darkKnowledgeUnbind) {
        root.darkKnowledgeUnbind();
        delete root.darkKnowledgeUnbind;
    }
}
