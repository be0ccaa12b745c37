; APDesk installer for Windows (Inno Setup 6): a per-user install that needs no administrator
; rights, for locked-down trust PCs.
;
; Built by installer\build.py after the PyInstaller bundle in dist\APDesk\ passed its
; self-test:  ISCC /DAppVersion=<version from pyproject.toml> installer\apdesk.iss
; Checked against the Inno Setup 6 documentation; installer\README.md lists what and how.
;
; Installs into %LOCALAPPDATA%\Programs\APDesk. The user's data (database, backups, logs) lives
; in %LOCALAPPDATA%\APDesk, which this installer creates but never fills, replaces or removes:
; not on upgrade, not on uninstall. There is deliberately no [UninstallDelete] section.

#define BundleDir AddBackslash(SourcePath) + "..\dist\APDesk"
#define AppExe BundleDir + "\APDesk.exe"

#ifndef AppVersion
  ; Compiled by hand: the version PyInstaller stamped into APDesk.exe from pyproject.toml.
  #define AppVersion GetStringFileInfo(AppExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error "No version: build dist\APDesk first (installer\build.py), or pass /DAppVersion=x.y.z"
#endif
; Windows' file-version fields take numbers only ("0.1.0.0"); AppVersion may be "1.2.0rc1".
#define NumericVersion GetVersionNumbersString(AppExe)

[Setup]
; Never change this GUID: it is how a new version finds and replaces the installed one (same
; folder, same Start-menu entries, one entry in Installed apps).
AppId={{498BE885-7F2D-4730-ACBC-4EF74DCDB9BF}
AppName=APDesk
AppVersion={#AppVersion}
AppVerName=APDesk {#AppVersion}
AppPublisher=APDesk
AppComments=Assistant Practitioner apprenticeships: trainees, day release, supervised practice, Care Certificate and band progression.
VersionInfoVersion={#NumericVersion}
VersionInfoProductTextVersion={#AppVersion}

; Per user, without administrator rights: non administrative install mode, so {autopf} is the
; user's own Programs folder (%LOCALAPPDATA%\Programs), {group} is in their own Start menu and
; the uninstaller is registered under HKEY_CURRENT_USER. No override to /ALLUSERS is offered.
PrivilegesRequired=lowest
DefaultDirName={autopf}\APDesk
; Not a choice to make on a trust PC (IT can still pass /DIR=...); upgrades reuse the folder.
DisableDirPage=yes
UsePreviousAppDir=yes
DefaultGroupName=APDesk
DisableProgramGroupPage=yes

; The bundle is 64-bit Python and Qt 6, which needs Windows 10 1809 or later.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763

; An APDesk left open is closed (through Windows' Restart Manager, so it closes as if the user
; had: its automatic backup runs) before its files are replaced; silent installs do this
; without asking unless given /NOCLOSEAPPLICATIONS.
CloseApplications=yes
; APDesk does not register with Restart Manager for restarting, so it is not restarted.
RestartApplications=no

OutputDir=..\dist\installer
OutputBaseFilename=APDesk-Setup-{#AppVersion}
SetupIconFile=..\resources\icons\apdesk.ico
UninstallDisplayIcon={app}\APDesk.exe
UninstallDisplayName=APDesk
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; A log in %TEMP% for every install (Setup Log yyyy-mm-dd #nnn.txt); /LOG="file" chooses its name.
SetupLogging=yes

#ifdef SignToolName
; installer\build.py --sign-tool "...": signs the setup program, the uninstaller and (the
; signonce flag below) the two executables. See installer\README.md, "Code signing".
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[InstallDelete]
; The previous version's libraries: a stale module left beside the new ones could be loaded
; instead of them. Program files only; the data folder is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Dirs]
; The data folder APDesk uses (the same one platformdirs gives it), created now so the
; "APDesk data folder" shortcut works before the first start. Never removed: it holds the
; user's database.
Name: "{localappdata}\APDesk"; Flags: uninsneveruninstall

[Files]
Source: "{#BundleDir}\APDesk.exe"; DestDir: "{app}"; Flags: ignoreversion signonce
Source: "{#BundleDir}\apdesk-cli.exe"; DestDir: "{app}"; Flags: ignoreversion signonce
Source: "{#BundleDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\APDesk"; Filename: "{app}\APDesk.exe"; WorkingDir: "{app}"; Comment: "Assistant Practitioner apprenticeships"
Name: "{group}\APDesk data folder"; Filename: "{localappdata}\APDesk"; Comment: "Your APDesk database, its backups and logs"
Name: "{group}\Uninstall APDesk"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\APDesk.exe"; Description: "Start APDesk"; Flags: nowait postinstall skipifsilent
