// The umbrella module: `import Tapestry` brings the whole public API.
@_exported import TapestryTensor
@_exported import TapestryAutograd
@_exported import TapestryOptimizers
@_exported import TapestryLayers
@_exported import TapestryTraining
@_exported import TapestryIO
@_exported import TapestryApplications
@_exported import TapestryImage
@_exported import TapestryData
@_exported import TapestryPlot
