import Foundation
import PStampCore

/// Stack and stack-summary lookups. Stacks have no data_state: the run state stands in for it.
extension GPC1Lookup {
    static let stackSelect = """
        SELECT st.stack_id, st.state AS run_state, st.label, st.data_group, st.skycell_id, st.tess_id, st.filter,
               ss.path_base, ss.fault, ss.quality, ss.mjd_obs
        FROM stackRun st
        JOIN stackSumSkyfile ss ON ss.stack_id = st.stack_id
        """

    mutating func stacks() throws -> [LocatedImage] {
        let q = query
        switch q.requestType {
        case .byid:
            return try stackRows(stackID: try q.numericID())
        case .byskycell:
            return try stackRows(tessID: q.tessID, skycellID: q.component)
        case .bycoord:
            var images: [LocatedImage] = []
            for cell in try skycellsAtCenter() { images += try stackRows(tessID: cell.tess, skycellID: cell.skycell) }
            return images
        case .bydiff:
            let input = try diffInput(skyfileID: try q.numericID())
            // warp−stack: the template stack; stack−stack: stack1 (stack2 with INVERSE); stack−warp: stack1.
            let stackID: Int64?
            switch input.diffMode {
            case 4: stackID = q.inverse ? input.template.stackID : input.input.stackID
            case 3: stackID = input.input.stackID
            default: stackID = input.template.stackID
            }
            guard let stackID else { throw PStampError(.noImageMatch, "diff skyfile \(input.diffSkyfileID) has no stack input") }
            return try stackRows(stackID: stackID)
        case .byexp:
            throw PStampError(.notImplemented, "byexp is not implemented for stacks")
        }
    }

    mutating func stackRows(stackID: Int64? = nil, tessID: String? = nil, skycellID: String? = nil) throws -> [LocatedImage] {
        var w = WhereClause()
        if let stackID {
            w.add("st.stack_id = ?", .int(stackID))
        } else {
            w.add("st.tess_id = ?", .text(tessID ?? ""))
            w.add("st.skycell_id = ?", .text(skycellID ?? ""))
            if query.mjdMin != 0 { w.add("ss.mjd_obs >= ?", .double(query.mjdMin)) }
            if query.mjdMax != 0 { w.add("ss.mjd_obs <= ?", .double(query.mjdMax)) }
            if let filter = query.filter { w.add("st.filter LIKE ?", .text(filter)) }
            if let group = query.dataGroup { w.add("st.data_group LIKE ?", .text(group)) }
            if let release { w.add(release.stacks(column: "st.stack_id", runType: query.runType)) }
        }
        let rows = try db.query(Self.stackSelect + w.sql + " ORDER BY st.stack_id DESC", w.arguments)
        return rows.compactMap { row -> LocatedImage? in
            guard let stack = row.int64("stack_id") else { return nil }
            let base = row.string("path_base")
            let state = row.string("run_state") ?? ""
            var image = LocatedImage(
                stage: .stack, stageID: stack, component: row.string("skycell_id") ?? "",
                files: ImageFiles.stack(base: base ?? "", unconvolved: query.unconvolved), pathBase: base,
                filter: row.string("filter"), dateobs: row.double("mjd_obs").flatMap(Self.dateobs(mjd:)),
                tessID: row.string("tess_id"), runState: state, dataState: state,
                fault: row.int("fault") ?? 0, quality: row.int("quality") ?? 0, label: row.string("label"),
                dataGroup: row.string("data_group"), unconvolved: query.unconvolved)
            image.stackMJDObs = row.double("mjd_obs")
            return image
        }
    }

    static func dateobs(mjd: Double) -> String? {
        mjd.isFinite ? DateCut.format(unixSeconds: (mjd - 40587) * 86400) : nil
    }

    /// stack_summary: byid by sass_id; bycoord/byskycell by projection cell (the skycell_id without its
    /// last `.NNN`) with TESS_ID, REQFILT and DATA_GROUP. The files are copied whole.
    mutating func stackSummaries() throws -> [LocatedImage] {
        let q = query
        var cells: [(tess: String, projection: String)] = []
        var w = WhereClause()
        switch q.requestType {
        case .byid:
            w.add("sa.sass_id = ?", .int(try q.numericID()))
        case .byskycell:
            cells = [(q.tessID ?? "", Self.projectionCell(q.component ?? ""))]
        case .bycoord:
            var seen = Set<String>()
            for cell in try skycellsAtCenter() {
                let p = Self.projectionCell(cell.skycell)
                if seen.insert(cell.tess + "/" + p).inserted { cells.append((cell.tess, p)) }
            }
        default:
            throw PStampError(.invalidRequest, "\(q.requestType.rawValue) does not apply to stack_summary")
        }
        if q.requestType != .byid {
            if let filter = q.filter { w.add("sa.filter LIKE ?", .text(filter)) }
            if let group = q.dataGroup { w.add("sa.data_group LIKE ?", .text(group)) }
        }
        let select = """
            SELECT sa.sass_id, sa.data_group, sa.tess_id, sa.filter, sm.projection_cell, sm.path_base
            FROM stackAssociation sa JOIN stackSummary sm ON sm.sass_id = sa.sass_id
            """
        var rows: [SQLRow] = []
        if cells.isEmpty {
            rows = try db.query(select + w.sql + " ORDER BY sa.sass_id DESC", w.arguments)
        } else {
            for cell in cells {
                var cw = w
                cw.add("sa.tess_id = ?", .text(cell.tess))
                cw.add("sm.projection_cell = ?", .text(cell.projection))
                rows += try db.query(select + cw.sql + " ORDER BY sa.sass_id DESC", cw.arguments)
            }
        }
        return rows.compactMap { row in
            guard let sass = row.int64("sass_id"), let base = row.string("path_base") else { return nil }
            return LocatedImage(
                stage: .stackSummary, stageID: sass, component: row.string("projection_cell") ?? "",
                files: ImageFiles.stackSummary(base: base),
                pathBase: base, filter: row.string("filter"), tessID: row.string("tess_id"),
                runState: "full", dataState: "full", dataGroup: row.string("data_group"))
        }
    }

    /// `skycell.2386.085` -> `skycell.2386`.
    static func projectionCell(_ skycell: String) -> String {
        guard let dot = skycell.lastIndex(of: ".") else { return skycell }
        return String(skycell[..<dot])
    }
}
