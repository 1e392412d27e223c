// Weights I/O works on models from TapestryLayers/TapestryTraining and files from TapestryHDF5:
// importing TapestryIO brings those APIs along.
@_exported import TapestryHDF5
@_exported import TapestryTraining
