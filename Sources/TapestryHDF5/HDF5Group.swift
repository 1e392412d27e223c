import CHDF5

/// A group in an HDF5 file: a folder of named groups and datasets, addressed by
/// slash-separated paths relative to it.
///
/// ```swift
/// let file = try HDF5File(path: "model.weights.h5")
/// let vars = try file.group(at: "layers/dense/vars")
/// let names = try vars.childNames()          // ["0", "1"], in name order
/// let kernel = try vars.dataset(at: "0").readFloats()
/// ```
///
/// ``HDF5File`` is itself the root group, as in h5py.
public class HDF5Group: HDF5Object {
    // MARK: Navigation

    /// Opens the existing group at `path`, relative to this group (or absolute with a leading "/").
    ///
    /// - Throws: ``HDF5Error`` naming the path when nothing is there or it is not a group.
    public func group(at path: String) throws -> HDF5Group {
        let loc = try location()
        let full = HDF5Runtime.join(self.path, path)
        try requireKind(.group, at: path, full: full)
        let id = H5Gopen2(loc, path, chdf5_p_default())
        guard id >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot open group '\(full)' in '\(filePath)'"), object: full)
        }
        return HDF5Group(file: file, locationID: id, path: full, closer: H5Gclose)
    }

    /// Opens the group at `path`, creating it and any missing intermediate groups first
    /// (like h5py's `require_group`), so writers can say `createGroup(at: "layers/dense/vars")`.
    ///
    /// - Throws: ``HDF5Error`` when the file is read-only or part of the path is a dataset.
    @discardableResult
    public func createGroup(at path: String) throws -> HDF5Group {
        let loc = try writableLocation()
        let full = HDF5Runtime.join(self.path, path)
        if let kind = try kind(of: path) {
            guard kind == .group else {
                throw error(.wrongKind, "cannot create group '\(full)' in '\(filePath)': a \(kind) is already there", object: full)
            }
            return try group(at: path)
        }
        let lcpl = H5Pcreate(chdf5_p_link_create())
        defer { H5Pclose(lcpl) }
        H5Pset_create_intermediate_group(lcpl, 1)
        let id = H5Gcreate2(loc, path, lcpl, chdf5_p_default(), chdf5_p_default())
        guard id >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot create group '\(full)' in '\(filePath)'"), object: full)
        }
        return HDF5Group(file: file, locationID: id, path: full, closer: H5Gclose)
    }

    /// Opens the existing dataset at `path`, relative to this group.
    ///
    /// - Throws: ``HDF5Error`` such as `no dataset 'layers/dense/vars/0' in '/tmp/model.weights.h5'`.
    public func dataset(at path: String) throws -> HDF5Dataset {
        let loc = try location()
        let full = HDF5Runtime.join(self.path, path)
        try requireKind(.dataset, at: path, full: full)
        let id = H5Dopen2(loc, path, chdf5_p_default())
        guard id >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot open dataset '\(full)' in '\(filePath)'"), object: full)
        }
        return try HDF5Dataset(file: file, id: id, path: full)
    }

    // MARK: Listing

    /// The names of the direct children (groups, datasets and named datatypes), in
    /// ascending byte-wise name order, the order HDF5's name index keeps.
    ///
    /// Name order is not numeric: Keras 3 names variables "0", "1", …, "10", which list as
    /// `["0", "1", "10", "2", …]`; sort with `Int(name)` when the numeric order matters.
    /// Creation order is not used because h5py and Keras do not record it by default.
    public func childNames() throws -> [String] {
        let loc = try location()
        var info = H5G_info_t()
        guard H5Gget_info(loc, &info) >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot list \(displayName) in '\(filePath)'"))
        }
        var names: [String] = []
        names.reserveCapacity(Int(info.nlinks))
        for index in 0..<info.nlinks {
            let length = H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, chdf5_p_default())
            guard length >= 0 else {
                throw error(.ioFailed, HDF5Runtime.withDetail("cannot list \(displayName) in '\(filePath)'"))
            }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, chdf5_p_default())
            names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }

    /// The names of the direct children that are groups, in name order.
    public func groupNames() throws -> [String] {
        try childNames().filter { try kind(of: $0) == .group }
    }

    /// The names of the direct children that are datasets, in name order.
    public func datasetNames() throws -> [String] {
        try childNames().filter { try kind(of: $0) == .dataset }
    }

    // MARK: Existence

    /// Whether `path` (relative to this group) names an existing object.
    /// Missing intermediate groups and a closed file both give `false`.
    public func contains(_ path: String) -> Bool {
        (try? kind(of: path)) != nil
    }

    /// What `path` (relative to this group) points to, or `nil` when nothing is there
    /// (a missing intermediate group, or a path that runs through a dataset, also gives `nil`).
    ///
    /// - Throws: ``HDF5Error`` when the file was closed or HDF5 cannot read the groups on the
    ///   way (a damaged file), so that damage is not mistaken for absence.
    public func kind(of path: String) throws -> HDF5ObjectKind? {
        let loc = try location()
        guard try linkChainExists(loc, path) else { return nil }
        let id = H5Oopen(loc, path.isEmpty ? "." : path, chdf5_p_default())
        guard id >= 0 else { return nil }  // a dangling soft or external link
        defer { H5Oclose(id) }
        switch H5Iget_type(id) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        case H5I_DATATYPE: return .namedDatatype
        default:
            let full = HDF5Runtime.join(self.path, path)
            throw error(.ioFailed, "'\(full)' in '\(filePath)' is an object of an unknown kind", object: full)
        }
    }

    /// H5Lexists fails, rather than answering false, when an intermediate group is missing,
    /// so each prefix of the path is checked in turn. It also fails when a prefix is a dataset
    /// (nothing can be below it) and when the file is damaged; only the last is an error.
    private func linkChainExists(_ loc: hid_t, _ path: String) throws -> Bool {
        let absolute = path.hasPrefix("/")
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if parts.isEmpty { return true }  // "", "." or "/" is this group or the root
        var parent = absolute ? "/" : "."
        for part in parts {
            let prefix = parent == "." ? String(part) : parent == "/" ? "/\(part)" : "\(parent)/\(part)"
            let found = H5Lexists(loc, prefix, chdf5_p_default())
            if found == 0 { return false }
            if found < 0 {
                let failure = error(.ioFailed, HDF5Runtime.withDetail(
                    "cannot look up '\(HDF5Runtime.join(self.path, prefix))' in '\(filePath)'"),
                    object: HDF5Runtime.join(self.path, prefix))
                if !isGroup(loc, parent) { return false }
                throw failure
            }
            parent = prefix
        }
        return true
    }

    private func isGroup(_ loc: hid_t, _ path: String) -> Bool {
        let id = H5Oopen(loc, path, chdf5_p_default())
        guard id >= 0 else { return false }
        defer { H5Oclose(id) }
        return H5Iget_type(id) == H5I_GROUP
    }

    /// Throws the "no dataset 'x' in 'file'" or "'x' is a group, not a dataset" error.
    private func requireKind(_ wanted: HDF5ObjectKind, at path: String, full: String) throws {
        guard let found = try kind(of: path) else {
            throw error(.notFound, "no \(wanted) '\(full)' in '\(filePath)'", object: full)
        }
        guard found == wanted else {
            throw error(.wrongKind, "'\(full)' in '\(filePath)' is a \(found), not a \(wanted)", object: full)
        }
    }
}
