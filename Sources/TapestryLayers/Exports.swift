// Layers work on variables and tensors: importing them brings both APIs along.
@_exported import TapestryAutograd
