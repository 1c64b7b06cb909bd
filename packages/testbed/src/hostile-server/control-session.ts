/**
 * One control connection of the hostile server: reads command lines, records them, and
 * answers them one at a time in order — from the script's steps, its per-verb replies, or
 * the built-in verbs — until the script says to go silent.
 */

import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { BUILT_IN_VERBS, NOT_IMPLEMENTED } from './built-in-verbs';
import { splitCommand, takeCommandLines } from './command-lines';
import type { HostileScript, ReceivedCommand, ReplyFor, ReplyText, ScriptedStep } from './hostile-script';
import { PassiveListener } from './passive-listener';
import { ReplyWriter } from './reply-writer';
import { serveTls } from './serve-tls';
import type { ServerLifetime } from './server-lifetime';
import type { TrafficLog } from './traffic-log';
import type { VerbContext } from './verb-context';

export const DEFAULT_GREETING = '220 ftpsctl hostile test server';

export interface ControlSessionContext {
  connection: number;
  script: HostileScript;
  implicit: boolean;
  secureContext: SecureContext | undefined;
  lifetime: ServerLifetime;
  log: TrafficLog;
  countDataConnection: () => number;
  onClose: () => void;
}

function resolveReply(reply: ReplyFor, command: ReceivedCommand): ReplyText {
  return typeof reply === 'function' ? reply(command) : reply;
}

export class ControlSession implements VerbContext {
  protection: 'C' | 'P' = 'C';
  private socket: Socket;
  private tls = false;
  /** Received bytes are recorded but not parsed: set while AUTH TLS hands the socket over. */
  private handingOver = false;
  private silent = false;
  private working = false;
  private pending: Buffer = Buffer.alloc(0);
  private readonly queue: ReceivedCommand[] = [];
  private stepIndex = 0;
  private passiveListener: PassiveListener | undefined;
  /** The last TLS handshake, so the close signal waits until its outcome is recorded. */
  private handshaking: Promise<boolean> = Promise.resolve(true);
  private readonly writer: ReplyWriter;
  private readonly onData = (bytes: Buffer): void => this.receive(bytes);

  constructor(
    private readonly raw: Socket,
    private readonly context: ControlSessionContext,
  ) {
    this.socket = raw;
    this.writer = new ReplyWriter(() => this.socket, context.script.delivery ?? { kind: 'whole' }, context.lifetime);
  }

  get connection(): number {
    return this.context.connection;
  }

  get script(): HostileScript {
    return this.context.script;
  }

  get tlsUp(): boolean {
    return this.tls;
  }

  get tlsAvailable(): boolean {
    return this.context.secureContext !== undefined;
  }

  get passive(): PassiveListener | undefined {
    return this.passiveListener;
  }

  async start(): Promise<void> {
    const { lifetime, script } = this.context;
    lifetime.trackSocket(this.raw);
    this.raw.setNoDelay(true);
    this.raw.on('error', () => undefined);
    this.raw.once('close', () => this.closed());
    if (this.context.implicit) {
      if (!(await this.handshake())) return;
    } else {
      this.raw.on('data', this.onData);
    }
    if (script.stall === 'before-greeting') {
      this.silent = true;
      return;
    }
    this.working = true;
    await this.reply(script.greeting ?? DEFAULT_GREETING);
    if (script.stall === 'after-greeting') this.silent = true;
    this.working = false;
    await this.drain();
  }

  async reply(text: ReplyText): Promise<void> {
    if (!this.silent) await this.writer.send(text);
  }

  flushReplies(): Promise<void> {
    return this.writer.flush();
  }

  async upgradeToTls(acceptReply: ReplyText): Promise<void> {
    if (!this.tlsAvailable)
      throw new Error('TLS was asked for but the hostile server has no certificate (options.pki)');
    // Paused before the 234 leaves, so the ClientHello waits in the socket for the TLS layer.
    this.raw.off('data', this.onData);
    this.raw.pause();
    this.handingOver = true;
    this.pending = Buffer.alloc(0);
    this.queue.length = 0;
    await this.reply(acceptReply);
    await this.flushReplies();
    if (await this.handshake()) this.handingOver = false;
  }

  async openPassive(): Promise<PassiveListener> {
    this.passiveListener?.close();
    const { connection, lifetime, log, secureContext, countDataConnection } = this.context;
    this.passiveListener = await PassiveListener.open({
      connection,
      lifetime,
      log,
      secureContext,
      countDataConnection,
      protectData: () => this.protection === 'P',
      withholdTls: this.context.script.dataTls === 'withheld',
    });
    return this.passiveListener;
  }

  goSilent(): void {
    this.silent = true;
  }

  closeControl(): void {
    this.socket.end();
  }

  sleep(ms: number): Promise<boolean> {
    return this.context.lifetime.sleep(ms);
  }

  /** TLS on the raw socket; true when it is up and reading. */
  private handshake(): Promise<boolean> {
    this.handshaking = this.runHandshake();
    return this.handshaking;
  }

  private async runHandshake(): Promise<boolean> {
    const { connection, log, lifetime, secureContext } = this.context;
    if (!secureContext) throw new Error('TLS was asked for but the hostile server has no certificate (options.pki)');
    const outcome = await serveTls(this.raw, secureContext);
    lifetime.trackSocket(outcome.socket);
    if (!outcome.secure) {
      log.handshake({
        connection,
        channel: 'control',
        secure: false,
        resumed: false,
        servername: undefined,
        protocol: undefined,
        error: outcome.error,
      });
      return false;
    }
    log.handshake({
      connection,
      channel: 'control',
      secure: true,
      resumed: outcome.resumed,
      servername: outcome.servername,
      protocol: outcome.protocol,
      error: undefined,
    });
    this.socket = outcome.socket;
    this.tls = true;
    outcome.socket.on('data', this.onData);
    outcome.socket.once('close', () => this.closed());
    return true;
  }

  private receive(bytes: Buffer): void {
    const { connection, log } = this.context;
    log.control(connection, this.tls, bytes);
    if (this.handingOver) return;
    const { lines, rest } = takeCommandLines(Buffer.concat([this.pending, bytes]));
    this.pending = rest;
    for (const line of lines) {
      const command: ReceivedCommand = { connection, tlsUp: this.tls, line, ...splitCommand(line) };
      log.command(command);
      this.queue.push(command);
    }
    void this.drain();
  }

  /** Answers queued commands one at a time; held (merged) replies go out once the queue is empty. */
  private async drain(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (;;) {
        const command = this.queue.shift();
        if (command) {
          await this.answer(command);
          continue;
        }
        await this.writer.flush();
        if (this.queue.length === 0) return;
      }
    } finally {
      this.working = false;
    }
  }

  private async answer(command: ReceivedCommand): Promise<void> {
    const { script, log } = this.context;
    if (this.silent || this.handingOver) return;
    if (typeof script.stall === 'object' && script.stall.atCommand.toUpperCase() === command.verb) {
      this.silent = true;
      return;
    }
    try {
      const steps = script.steps;
      if (steps && this.stepIndex < steps.length) {
        await this.runStep(steps[this.stepIndex], command);
        this.stepIndex += 1;
        return;
      }
      const override = script.replies?.[command.verb];
      if (override !== undefined) return await this.reply(resolveReply(override, command));
      await (BUILT_IN_VERBS[command.verb] ?? NOT_IMPLEMENTED)(this, command.argument);
    } catch (error) {
      log.problem(
        `connection ${command.connection}, ${command.verb}: ${error instanceof Error ? error.message : String(error)}`,
      );
      await this.reply('451 Hostile server failed on this command');
    }
  }

  private async runStep(step: ScriptedStep, command: ReceivedCommand): Promise<void> {
    if (step.expect && !step.expect.test(command.line)) {
      this.context.log.problem(
        `connection ${command.connection}, step ${this.stepIndex + 1}: expected ${step.expect}, received ${JSON.stringify(command.line)}`,
      );
      return this.reply(`503 Hostile script expected ${step.expect}`);
    }
    if (step.delayMs !== undefined && !(await this.sleep(step.delayMs))) return;
    const reply = step.reply === null ? undefined : resolveReply(step.reply, command);
    if (step.thenUpgradeToTls) await this.upgradeToTls(reply ?? { raw: '' });
    else if (reply !== undefined) await this.reply(reply);
    if (step.thenCloseControl) {
      await this.flushReplies();
      this.closeControl();
    }
  }

  private closed(): void {
    this.passiveListener?.close();
    void this.handshaking.then(() => this.context.onClose());
  }
}
