// The simulated vessel's truth: the shared 3-DOF model (src/model/vessel.ts) integrated with
// RK4, behind two thrusters that lag their commands and can fail.
//
// Thruster chain, per thruster: command -> clampThrust (asymmetric forward / reverse limits)
// -> first-order lag with params.thrusterTimeConstantS (discretised exactly, so the lag is
// right at any step size) -> fault factor (loss 0, degradation a fraction) -> delivered.
import type { ThrustCommand } from '../src/msg/index.ts';
import type { ThrustSink } from '../src/ports/index.ts';
import type { VesselEnv, VesselParams, VesselState } from '../src/model/vessel.ts';
import { clampThrust, OTTER, stepVesselRk4, vesselDerivative } from '../src/model/vessel.ts';
import { wrapPi } from '../src/geo/index.ts';

/** The simulated hull and thrusters (VesselParams, the Otter USV by default) plus grounding. */
export interface SimVesselOptions extends VesselParams {
  /** Extra surge/sway drag applied while the hull touches bottom (true depth < draft), N s/m. */
  groundingDragNsPerM: number;
}

export const DEFAULT_SIM_VESSEL_OPTIONS: SimVesselOptions = {
  ...OTTER,
  groundingDragNsPerM: 2000,
};

export class SimVessel implements ThrustSink {
  readonly name = 'sim.thrusters';
  readonly params: VesselParams;
  readonly state: VesselState;
  /** Commanded thrust after clamping. */
  commandedLeftN = 0;
  commandedRightN = 0;
  /** Thrust after the lag, before faults. */
  laggedLeftN = 0;
  laggedRightN = 0;
  /** Thrust the water actually receives. */
  deliveredLeftN = 0;
  deliveredRightN = 0;
  /** Commands received, rejected (non-finite) ones included in `rejectedCommands`. */
  commands = 0;
  rejectedCommands = 0;
  private readonly deriv = new Float64Array(6);

  constructor(params: VesselParams, start: { northM: number; eastM: number; yawRad: number }) {
    // Copy only the model's fields, so options with extra keys never reach the model.
    this.params = {
      massKg: params.massKg,
      izKgM2: params.izKgM2,
      xUdotKg: params.xUdotKg,
      yVdotKg: params.yVdotKg,
      nRdotKgM2: params.nRdotKgM2,
      xuNsPerM: params.xuNsPerM,
      yvNsPerM: params.yvNsPerM,
      nrNmsPerRad: params.nrNmsPerRad,
      xuuNs2PerM2: params.xuuNs2PerM2,
      yvvNs2PerM2: params.yvvNs2PerM2,
      nrrNms2PerRad2: params.nrrNms2PerRad2,
      thrusterYM: params.thrusterYM,
      maxForwardThrustN: params.maxForwardThrustN,
      maxReverseThrustN: params.maxReverseThrustN,
      thrusterTimeConstantS: params.thrusterTimeConstantS,
      lengthM: params.lengthM,
      beamM: params.beamM,
      draftM: params.draftM,
    };
    this.state = { northM: start.northM, eastM: start.eastM, yawRad: start.yawRad, uMps: 0, vMps: 0, rRadps: 0 };
  }

  /** Sets the commanded thrust; it is held until the next command. A non-finite value is counted and read as 0. */
  apply(command: ThrustCommand): void {
    this.commands++;
    if (!Number.isFinite(command.leftN) || !Number.isFinite(command.rightN)) this.rejectedCommands++;
    this.commandedLeftN = clampThrust(this.params, Number.isFinite(command.leftN) ? command.leftN : 0);
    this.commandedRightN = clampThrust(this.params, Number.isFinite(command.rightN) ? command.rightN : 0);
  }

  /**
   * Advances by dtS: the lag first (exact over the step), then one RK4 step with the delivered
   * thrust and the environment held. `leftFactor`/`rightFactor` are the faults' thrust factors.
   */
  step(dtS: number, env: VesselEnv, leftFactor: number, rightFactor: number): void {
    if (!(dtS > 0)) return;
    const tau = this.params.thrusterTimeConstantS;
    const a = tau > 0 ? 1 - Math.exp(-dtS / tau) : 1;
    this.laggedLeftN += (this.commandedLeftN - this.laggedLeftN) * a;
    this.laggedRightN += (this.commandedRightN - this.laggedRightN) * a;
    this.deliveredLeftN = this.laggedLeftN * leftFactor;
    this.deliveredRightN = this.laggedRightN * rightFactor;
    stepVesselRk4(this.params, this.state, this.deliveredLeftN, this.deliveredRightN, env, dtS);
    this.state.yawRad = wrapPi(this.state.yawRad);
  }

  /**
   * Body-frame acceleration over ground at this instant (what an accelerometer senses, less
   * gravity): d(nu)/dt + omega x nu, i.e. [u' - r v, v' + r u]. Writes into out[0], out[1].
   */
  bodyAcceleration(env: VesselEnv, out: Float64Array): void {
    vesselDerivative(this.params, this.state, this.deliveredLeftN, this.deliveredRightN, env, this.deriv);
    const s = this.state;
    out[0] = this.deriv[3] - s.rRadps * s.vMps;
    out[1] = this.deriv[4] + s.rRadps * s.uMps;
  }
}
