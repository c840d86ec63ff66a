import * as fs from 'fs';
import * as path from 'path';
import { AnnotationMetadataEntryType, App, AppConfig } from './private/cdktf';
import { writeEnforcementPreviews } from './validation/preview-writer';
import { GuardrailsValidation } from './validation/validation';

/** Options of a {@link GuardrailsApp}. */
export interface GuardrailsAppProps extends Omit<AppConfig, 'outdir'> {
  /**
   * Where the synthesized stacks go.
   * @default `CDKTF_OUTDIR` when the cdktf CLI runs the app, else `cdktf.out`
   */
  readonly outdir?: string;
}

/**
 * A cdktf `App` whose synth is all or nothing: every stack is validated and written to a staging
 * directory first, and `outdir` is replaced only when all of them succeed. A failed synth leaves
 * the previous output untouched and no partial stack behind.
 */
export class GuardrailsApp extends App {
  /** Where the output lands once synth succeeds. */
  public readonly finalOutdir: string;

  constructor(props: GuardrailsAppProps = {}) {
    const finalOutdir = path.resolve(props.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
    const staging = `${finalOutdir}.staging-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(finalOutdir), { recursive: true });
    super({ ...props, outdir: staging });
    this.finalOutdir = finalOutdir;
  }

  /** The effective-enforcement summary of the last synth (empty when nothing is enforced). */
  public enforcementSummary = '';

  /** Warnings of the last synth (`[<rule id>] <path>: ...`), unacknowledged ones only. */
  public warnings: string[] = [];

  /**
   * Synthesizes every stack into the staging directory, writes the effective-enforcement preview
   * beside each stack that enforces something, then swaps the directory into place.
   */
  public synth(): void {
    try {
      super.synth();
      this.enforcementSummary = writeEnforcementPreviews(GuardrailsValidation.of(this).facts(), this.outdir, this.finalOutdir);
      this.warnings = this.node.findAll().flatMap((c) => c.node.metadata
        .filter((m) => m.type === AnnotationMetadataEntryType.WARN)
        .map((m) => String(m.data)));
    } catch (e) {
      fs.rmSync(this.outdir, { recursive: true, force: true });
      throw e;
    }
    const previous = `${this.finalOutdir}.previous-${process.pid}`;
    if (fs.existsSync(this.finalOutdir)) fs.renameSync(this.finalOutdir, previous);
    fs.renameSync(this.outdir, this.finalOutdir);
    fs.rmSync(previous, { recursive: true, force: true });
  }
}
