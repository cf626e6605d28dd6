import DataStore
import Foundation
import Logging
import PStampCore

/// stack_summary jobs cut nothing: the summary's files are copied whole to the stamp names
/// (pstamp_job_run.pl `justCopyFiles`): image → `<base>.fits` (required), mask → `.mk.fits`, variance →
/// `.wt.fits`, image JPEG → `.jpg`, exposure-time and count maps → `.exp.fits`/`.num.fits`, their JPEGs →
/// `.exp.jpg`/`.num.jpg`. Each selected product is copied when the summary has it and left out (logged)
/// when it has not; a missing image is a system fault (the job is retried), as in the IPP.
struct StackSummaryCopy {
    let params: JobParameters
    let selection: StampProductSelection
    let outputBase: String
    let logger: Logger

    func make() throws -> [RegistrationEntry] {
        let sources: [(StampProduct, String?)] = [
            (.image, params.files.image), (.mask, params.files.mask), (.variance, params.files.variance), (.jpeg, params.files.jpeg),
            (.exposureMap, params.files.expMap), (.countMap, params.files.numMap), (.exposureJPEG, params.files.expJPEG),
            (.countJPEG, params.files.numJPEG),
        ]
        var outputs: [RegistrationEntry] = []
        for (product, source) in sources where selection.contains(product) {
            guard let suffix = product.suffix else { continue }
            guard let source, FileManager.default.fileExists(atPath: source) else {
                if product == .image {
                    throw PStampError(.sysError, "the stack summary image \(source ?? "(none)") is not there")
                }
                logger.info("\(outputBase): the stack summary has no \(product.rawValue) file; left out")
                continue
            }
            let target = outputBase + suffix
            try RegistrationEntry.copyWhole(source, to: target)
            outputs.append(.stamp(target))
        }
        return outputs
    }
}
