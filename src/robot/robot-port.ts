/**
 * RobotPort: the robot's base as letan sees it. Adapters side by side:
 * SimRobot (sim-robot.ts, embedded default) and, later, Ros2Robot (rclnodejs + Nav2).
 * Both follow Nav2 NavigateToPose action semantics.
 */

/** A pose in the venue's map frame (metres, radians), on a floor of the venue. */
export interface Pose2D {
  readonly x: number;
  readonly y: number;
  readonly yawRad: number;
  /** Floor id from venue.json; the venue's first floor when absent. */
  readonly floor?: string;
}

export interface NavFeedback {
  readonly pose: Pose2D;
  readonly distanceRemainingM: number;
  readonly etaS: number;
}

/** How a navigation goal ended (Nav2 goal status, as data — never thrown). */
export type NavOutcome =
  | { readonly status: 'succeeded' }
  | { readonly status: 'canceled' }
  | {
      readonly status: 'aborted';
      /** preempted: a newer goal replaced it; unreachable: no path; blocked: path obstructed; stopped: e-stop latched. */
      readonly code: 'preempted' | 'unreachable' | 'blocked' | 'stopped' | 'failed';
      readonly reason: string;
    };

export interface NavigateOptions {
  /** Feedback while driving (distance remaining, ETA), a few times a second of robot time. */
  readonly onFeedback?: (feedback: NavFeedback) => void;
  /** Aborting cancels the goal; the promise then resolves `{ status: 'canceled' }`. */
  readonly signal?: AbortSignal;
  /** Cap on linear speed for this goal (escorting a person walks slower). */
  readonly maxSpeedMps?: number;
}

export interface BatteryState {
  /** 0..1 */
  readonly level: number;
  readonly charging: boolean;
}

export interface RobotPort {
  /**
   * Drives to `goal`. Resolves with the outcome when the goal ends; never rejects for
   * navigation failures. A new goal preempts the running one (which ends aborted/preempted).
   */
  navigateTo(goal: Pose2D, options?: NavigateOptions): Promise<NavOutcome>;
  /** Cancels the running goal, if any (it ends `canceled`). */
  cancel(): Promise<void>;
  /**
   * Latched stop: zero velocity now, running goal ends aborted/stopped, and every new
   * goal is refused until `releaseStop()`. Idempotent.
   */
  stop(): Promise<void>;
  /** Releases the stop latch; the robot stays where it is. */
  releaseStop(): Promise<void>;
  readonly stopped: boolean;
  /** Current pose. */
  pose(): Pose2D;
  /** Current linear speed (m/s); 0 whenever stopped. */
  speedMps(): number;
  /** Subscribes to pose updates; returns the unsubscribe function. */
  onPose(listener: (pose: Pose2D) => void): () => void;
  battery(): BatteryState;
  close(): Promise<void>;
}
