// Autograd works on tensors: importing it brings the tensor API along.
@_exported import TapestryTensor
