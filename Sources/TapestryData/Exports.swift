// Datasets stream images into training: importing them brings both APIs along.
@_exported import TapestryImage
@_exported import TapestryTraining
