// Copyright: (c) 2026, ipam.provisioning contributors
// GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
//
// The PowerShell host a winsim pwsh worker runs each command under. It plays the part of the host a
// WinRM/PSRP server gives a pipeline: it records the exit code that `exit` or $host.SetShouldExit()
// asks for (Ansible's exec wrapper reports a module failure that way) and collects what is written
// to the host's error, warning, verbose and debug lines. It never prompts: a WinRM host has no one
// to answer (Read* throws, as a -NonInteractive host does). Like a remoting host it exposes its
// runspace ($Host.Runspace), which Ansible's coverage_wrapper.ps1 needs to set line breakpoints.
// PSHost contract: https://learn.microsoft.com/dotnet/api/system.management.automation.host.pshost
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;

namespace WinSim
{
    public class RecordingHost : PSHost, IHostSupportsInteractiveSession
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly RecordingUI _ui = new RecordingUI();
        private readonly CultureInfo _culture;

        public RecordingHost(string culture)
        {
            _culture = String.IsNullOrEmpty(culture) ? CultureInfo.InvariantCulture : new CultureInfo(culture);
        }

        // Null until `exit N` or $host.SetShouldExit(N) runs.
        public int? ExitCode { get; private set; }
        public RecordingUI Recorder { get { return _ui; } }

        public override string Name { get { return "WinSimServerRemoteHost"; } }
        public override Version Version { get { return new Version(1, 0); } }
        public override Guid InstanceId { get { return _id; } }
        public override PSHostUserInterface UI { get { return _ui; } }
        public override CultureInfo CurrentCulture { get { return _culture; } }
        public override CultureInfo CurrentUICulture { get { return _culture; } }
        public override void SetShouldExit(int exitCode) { ExitCode = exitCode; }
        public override void EnterNestedPrompt() { throw new NotSupportedException("no nested prompt on a WinRM host"); }
        public override void ExitNestedPrompt() { throw new NotSupportedException("no nested prompt on a WinRM host"); }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }

        // IHostSupportsInteractiveSession: https://learn.microsoft.com/dotnet/api/system.management.automation.host.ihostsupportsinteractivesession
        public Runspace Runspace { get; set; }
        public bool IsRunspacePushed { get { return false; } }
        public void PushRunspace(Runspace runspace) { throw new NotSupportedException("no nested runspace on a WinRM host"); }
        public void PopRunspace() { throw new NotSupportedException("no nested runspace on a WinRM host"); }
    }

    public class RecordingUI : PSHostUserInterface
    {
        public readonly StringBuilder Output = new StringBuilder();
        public readonly StringBuilder Errors = new StringBuilder();

        public override PSHostRawUserInterface RawUI { get { return null; } }
        public override void Write(string value) { Output.Append(value); }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { Output.Append(value); }
        public override void WriteLine(string value) { Output.Append(value).Append('\n'); }
        public override void WriteErrorLine(string value) { Errors.Append(value).Append('\n'); }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { Errors.Append("WARNING: ").Append(message).Append('\n'); }

        private static Exception NoPrompt()
        {
            return new PSInvalidOperationException("The host is non-interactive (WinRM): it cannot prompt.");
        }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) { throw NoPrompt(); }
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) { throw NoPrompt(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) { throw NoPrompt(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) { throw NoPrompt(); }
        public override string ReadLine() { throw NoPrompt(); }
        public override SecureString ReadLineAsSecureString() { throw NoPrompt(); }
    }
}
