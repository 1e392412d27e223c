// Training drives layers with optimisers: importing it brings both APIs along.
@_exported import TapestryLayers
@_exported import TapestryOptimizers
