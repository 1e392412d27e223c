// Applications load weights: importing them brings weights I/O (and training) along.
@_exported import TapestryIO
