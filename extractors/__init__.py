"""One module per output field; each has an entry function `extract(article)`."""
