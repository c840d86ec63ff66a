/**
 * The deploy tier's jest globalSetup: finds once, in jest's own process, whether terraform, the
 * provider mirror and the emulator's Python are there (`terraform version` and a Python import
 * probe, ≈2.5 s together), and hands the result to every test file through environment variables
 * the workers inherit, instead of each file probing again when it is loaded.
 */
import { TERRAFORM_AVAILABILITY_ENV, terraformAvailable } from '../terraform/harness';
import { EMULATOR_AVAILABILITY_ENV, emulatorAvailable } from './emulator';

export default function globalSetup(): void {
  process.env[TERRAFORM_AVAILABILITY_ENV] = JSON.stringify(terraformAvailable());
  process.env[EMULATOR_AVAILABILITY_ENV] = JSON.stringify(emulatorAvailable());
}
