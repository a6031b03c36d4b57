/** Where the transfer saga finds its steps; they live in `transfers/`. */
export { completeTransferCommand, dispatchTransferCommand, receiveTransferCommand } from "../transfers/transfer-commands.js";
