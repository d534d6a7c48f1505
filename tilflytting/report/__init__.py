"""Results to output: machine formats (`formats`), the terminal (`console`,
the only module that imports Rich), exported files (`export`) and the
static site (`site`)."""
