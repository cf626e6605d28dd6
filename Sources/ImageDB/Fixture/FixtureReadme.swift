import Foundation

/// The README written into the fixtures directory by `pstamp fixtures build`.
enum FixtureReadme {
    static var text: String {
        let exposures = FixtureSky.exposures.map { "  \($0.expID)  \($0.name)  \($0.dateobs)  \($0.filter)" }.joined(separator: "\n")
        return """
            # The fixture sky

            Made by `pstamp fixtures build` (Sources/ImageDB/Fixture); do not edit by hand: rebuilding gives the
            same bytes. A small field at RA \(FixtureSky.center.ra), Dec +\(FixtureSky.center.dec) seen by four GPC1-like
            exposures of 2x2 chips (\(FixtureSky.chipSize)x\(FixtureSky.chipSize) px, 0.25"/px, chip XY33 of exposure 101 has a
            TAN-SIP WCS), resampled onto four skycells of projection cell \(FixtureSky.projectionCell) (tess_id \(FixtureSky.tessID)).

            exp_id  exp_name     dateobs              filter
            \(exposures)

            - `gpc1.sqlite`  the gpc1 image database (IPP table and column names) with footprints read from the
              image headers. Its paths are `path://\(FixtureSky.datapathName)/gpc1/...`: set the DATAPATH entry
              \(FixtureSky.datapathName) to this directory. The rows and what each branch tests are listed in
              Sources/ImageDB/Fixture/FixtureRows.swift.
            - `gpc1/`  the files on disk: raw chips (2x2 cells, RICE), chip images and variances, camera-stage
              masks (GZIP), warps, stacks (convolved, unconvolved from stack_id 30067 on, exp/num maps), diffs
              (30601 is bothways: `.inv` products), the stack summary of sass_id 801.
            - `archive/`  the cleaned (and update-pending) components at the same relative paths, with
              `SHA256SUMS`: an update regenerates a component by copying it back from here.
            - `requests/`  sample request texts (pstamp_request_file format, v2), one per REQ_TYPE x IMG_TYPE
              the fixture answers; `pstamp request-file` turns them into request FITS tables.

            """
    }
}
