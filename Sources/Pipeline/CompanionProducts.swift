import Cutout
import DataStore
import FITS
import Foundation
import Logging
import PStampCore

/// The products of a stamp job beyond image, mask, variance and JPEG (jobrun and ppstamp):
///   bit 8    `<base>.cmf`: the source catalogue cut to the stamp (SourceCatalogueCut): a chip's from
///            the exposure's smf when there is one, else the stage cmf
///   bit 16   the PSF model, copied whole as `<ROWNUM>_<jobnum>_<f>_<file name>` (type `fits`)
///   bit 32   the background model, likewise
///   bit 128  `<base>.exp.fits`: the (unconvolved) stack's exposure-time map cut like the image
///   bit 256  `<base>.num.fits`: its exposure-count map, cut as the image's mask
/// The maps are written GZIP-compressed (lossless) unless bit 512 asks for plain FITS. A product asked
/// for whose file the image database does not have is left out and logged: the stamp itself is made.
struct CompanionProducts {
    let params: JobParameters
    let selection: StampProductSelection
    let outputBase: String
    let logger: Logger

    func make(stamp: StampResult) throws -> [RegistrationEntry] {
        var outputs: [RegistrationEntry] = []
        let region = PixelRegion(x0: stamp.start.x, y0: stamp.start.y, width: stamp.width, height: stamp.height)
        if selection.contains(.sources), let (catalogue, chip) = sourceCatalogue() {
            let path = outputBase + ".cmf"
            let kept = try SourceCatalogueCut.cut(catalogue, region: region, to: path, chip: chip)
            logger.debug("\(kept) sources of \(catalogue) in the stamp")
            outputs.append(.stamp(path))
        }
        for (product, file, what) in [
            (StampProduct.psf, params.files.psf, "PSF model"),
            (.backgroundModel, params.files.backgroundModel, "background model"),
        ]
        where selection.contains(product) {
            guard let file = available(file, what) else { continue }
            let copy = RequestWorkDirectory(outputBase: outputBase).outputBase(copyPrefix + StampNaming.lastComponent(file))
            try RegistrationEntry.copyWhole(file, to: copy)
            outputs.append(.wholeFile(copy))
        }
        if selection.contains(.exposureMap) || selection.contains(.countMap) {
            outputs += try exposureMaps(stamp)
        }
        return outputs
    }

    /// The stack's exposure maps cut over exactly the image stamp's region, as the IPP's second ppstamp
    /// run does: the exposure-time map as the image, the count map as its (16-bit) mask, both lossless
    /// GZIP unless bit 512; `<base>.exp.fits` and `<base>.num.fits`, each only when asked for.
    func exposureMaps(_ stamp: StampResult) throws -> [RegistrationEntry] {
        guard let exp = available(params.files.expMap, "exposure-time map") else { return [] }
        let num = selection.contains(.countMap) ? available(params.files.numMap, "exposure-count map") : nil
        var options = StampOptions(products: num == nil ? [.image] : [.image, .mask], compressed: !selection.uncompressed)
        options.imageCompression = .gzip(tiles: .rows)
        let cutter = StampCutter(source: try StampSource(image: exp, mask: num), options: options)
        // The image stamp's placement, as it is: the maps share the stack's pixel grid.
        var request = stamp.request
        request.outputBase = outputBase + ".exp"
        let result = try cutter.cut(request, placement: stamp.placement)
        var outputs: [RegistrationEntry] = []
        for file in result.files {
            if file.hasSuffix(".exp.mk.fits") {
                let renamed = outputBase + ".num.fits"
                try? FileManager.default.removeItem(atPath: renamed)
                try FileManager.default.moveItem(atPath: file, toPath: renamed)
                outputs.append(.stamp(renamed))
            } else if selection.contains(.exposureMap) {
                outputs.append(.stamp(file))
            } else {
                try? FileManager.default.removeItem(atPath: file)
            }
        }
        return outputs
    }

    /// Where a stamp's sources come from (pstamp_job_run.pl): for a chip, the exposure's astrometry smf
    /// (that chip's tables) when it exists, else the stage's own cmf.
    func sourceCatalogue() -> (String, String?)? {
        if params.stage == .chip, let smf = params.files.astrometry, FileManager.default.fileExists(atPath: smf) {
            return (smf, params.component)
        }
        return available(params.files.sources, "source catalogue").map { ($0, nil) }
    }

    /// `<ROWNUM>_<jobnum>_<f>_`: the stamp's name without its source base.
    var copyPrefix: String {
        let name = StampNaming.lastComponent(outputBase)
        let source = StampNaming.sourceBase(params.files.image)
        if name.hasSuffix(source) { return String(name.dropLast(source.count)) }
        return "\(params.rownum)_1_\(StampNaming.filterLetter(params.filter))_"
    }

    private func available(_ file: String?, _ what: String) -> String? {
        guard let file, FileManager.default.fileExists(atPath: file) else {
            logger.info("\(outputBase): no \(what) for \(params.files.image); left out")
            return nil
        }
        return file
    }
}
